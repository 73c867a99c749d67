import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { Db } from 'mongodb';
import { Registry } from 'prom-client';
import { KafkaModule } from '@costwatch/kafka';
import { MONGO_DB, MongoModule } from '@costwatch/mongo';
import { ObservabilityModule } from '@costwatch/observability';
import { Notifier, notifierSettings } from './compose-notifier';
import type { NotifierConfig } from './config/notifier.config';
import { NotifierRuntime } from './consumers/notifier-runtime';
import { DeliveryReadiness, NOTIFIER_CONFIG } from './infra/delivery-readiness';
import { ReportScheduler } from './reports/report-scheduler';

@Module({})
export class AppModule {
  static register(config: NotifierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'notifier', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          topics: [{ topic: 'anomalies' }, { topic: 'dailyTotals' }],
        }),
        MongoModule.forRoot({ url: config.MONGO_URL, db: config.MONGO_DB }),
        // Scheduled cost reports only when REPORT_SCHEDULE is set.
        ...(config.REPORT_SCHEDULE ? [ScheduleModule.forRoot()] : []),
      ],
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        DeliveryReadiness,
        { provide: Notifier, useFactory: (db: Db, registry: Registry) => new Notifier(notifierSettings(config), { db, registry }), inject: [MONGO_DB, Registry] },
        NotifierRuntime,
        ...(config.REPORT_SCHEDULE ? [ReportScheduler] : []),
      ],
    };
  }
}
