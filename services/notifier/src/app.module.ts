import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@costwatch/kafka';
import { MongoModule } from '@costwatch/mongo';
import { ObservabilityModule } from '@costwatch/observability';
import type { NotifierConfig } from './config/notifier.config';
import { DeliveryReadiness, NOTIFIER_CONFIG } from './infra/delivery-readiness';

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
      ],
      providers: [{ provide: NOTIFIER_CONFIG, useValue: config }, DeliveryReadiness],
    };
  }
}
