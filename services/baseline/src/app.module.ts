import { type DynamicModule, Module } from '@nestjs/common';
import type { Db } from 'mongodb';
import { Registry } from 'prom-client';
import { recordPolicyOf } from '@costwatch/config';
import { KafkaModule } from '@costwatch/kafka';
import { Collections, MONGO_DB, MongoModule } from '@costwatch/mongo';
import { ObservabilityModule } from '@costwatch/observability';
import { S3Module } from '@costwatch/s3';
import { AggregateRecordsUseCase } from './application/aggregate-records.use-case';
import { ArchiveRecordsUseCase } from './application/archive-records.use-case';
import { BaselineMetrics } from './application/baseline-metrics';
import { AGGREGATOR_DAYS, ARCHIVE_DAYS, BASELINE_SETTINGS, BILLING_EVENTS } from './application/billing-events.port';
import { CloseDayUseCase } from './application/close-day.use-case';
import type { BaselineConfig } from './config/baseline.config';
import { CONSUMER_SETTINGS } from './consumers/consumer-settings';
import { RecordsConsumers } from './consumers/records.consumers';
import { BaselinesRepository } from './infra/baselines.repository';
import { BillingEventsPublisher } from './infra/billing-events.publisher';
import { DaysRepository } from './infra/days.repository';
import { StorageInitializer } from './infra/indexes.initializer';
import { RecordsRepository } from './infra/records.repository';
import { RollupsRepository } from './infra/rollups.repository';
import { SeriesRepository } from './infra/series.repository';

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
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          topics: [{ topic: 'billingRecords' }, { topic: 'hourlySnapshots' }, { topic: 'dailyTotals' }, { topic: 'dayClosed', numPartitions: 1 }],
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
      providers: [
        { provide: BASELINE_SETTINGS, useValue: { dayCloseGraceMs: config.DAY_CLOSE_GRACE_HOURS * 3_600_000, baselineWindowDays: config.BASELINE_WINDOW_DAYS, storeRecords: config.AGGREGATOR_STORE_RECORDS,
            writeBehindMs: config.AGGREGATOR_WRITE_BEHIND_MS,
            writeBehindMaxDocuments: config.AGGREGATOR_WRITE_BEHIND_MAX_DOCUMENTS,
            cacheDocuments: config.AGGREGATOR_CACHE_DOCUMENTS,
          },
        },
        {
          provide: CONSUMER_SETTINGS,
          useValue: { aggregatorGroup: config.AGGREGATOR_GROUP_ID, archiverGroup: config.ARCHIVER_GROUP_ID, batchSize: config.CONSUMER_BATCH_SIZE, maxAttempts: config.KAFKA_MAX_ATTEMPTS, fetchMaxBytesPerPartition: config.KAFKA_FETCH_MAX_BYTES_PER_PARTITION, partitionsConcurrently: config.CONSUMER_PARTITIONS_CONCURRENTLY, roles: config.BASELINE_ROLES, recordPolicy: recordPolicyOf(config) },
        },
        { provide: AGGREGATOR_DAYS, useFactory: (db: Db) => new DaysRepository(db, Collections.days), inject: [MONGO_DB] },
        { provide: ARCHIVE_DAYS, useFactory: (db: Db) => new DaysRepository(db, Collections.archiveDays), inject: [MONGO_DB] },
        { provide: BILLING_EVENTS, useClass: BillingEventsPublisher },
        { provide: BaselineMetrics, useFactory: (registry: Registry) => new BaselineMetrics(registry), inject: [Registry] },
        RecordsRepository,
        RollupsRepository,
        SeriesRepository,
        BaselinesRepository,
        StorageInitializer,
        AggregateRecordsUseCase,
        ArchiveRecordsUseCase,
        CloseDayUseCase,
        RecordsConsumers,
      ],
    };
  }
}
