import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@costwatch/kafka';
import { MongoModule } from '@costwatch/mongo';
import { ObservabilityModule } from '@costwatch/observability';
import type { DetectorConfig } from './config/detector.config';

@Module({})
export class AppModule {
  static register(config: DetectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'detector', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          topics: [{ topic: 'hourlySnapshots' }, { topic: 'anomalies' }],
        }),
        MongoModule.forRoot({ url: config.MONGO_URL, db: config.MONGO_DB }),
      ],
    };
  }
}
