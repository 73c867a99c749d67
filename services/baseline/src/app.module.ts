import { type DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@costwatch/contracts';
import { KafkaModule } from '@costwatch/kafka';
import { MongoModule } from '@costwatch/mongo';
import { ObservabilityModule } from '@costwatch/observability';
import { S3Module } from '@costwatch/s3';
import type { BaselineConfig } from './config/baseline.config';

@Module({})
export class AppModule {
  static register(config: BaselineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'baseline', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          topics: [{ topic: Topics.billingRecords }, { topic: Topics.hourlySnapshots }, { topic: Topics.dailyTotals }],
        }),
        MongoModule.forRoot({ url: config.MONGO_URL, db: config.MONGO_DB }),
        S3Module.forRoot({
          endpoint: config.S3_ENDPOINT,
          region: config.S3_REGION,
          accessKeyId: config.S3_ACCESS_KEY_ID,
          secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          bucket: config.S3_BUCKET,
        }),
      ],
    };
  }
}
