import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { KafkaModule } from '@costwatch/kafka';
import { ObservabilityModule } from '@costwatch/observability';
import type { CollectorConfig } from './config/collector.config';
import { COLLECTOR_CONFIG, CollectionScheduler } from './infra/collection-scheduler';

@Module({})
export class AppModule {
  static register(config: CollectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'collector', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          topics: [{ topic: 'billingRecords', numPartitions: config.RECORDS_PARTITIONS }],
        }),
        ScheduleModule.forRoot(),
      ],
      providers: [{ provide: COLLECTOR_CONFIG, useValue: config }, CollectionScheduler],
    };
  }
}
