import { type DynamicModule, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { KafkaModule } from '@costwatch/kafka';
import { MongoModule } from '@costwatch/mongo';
import { ObservabilityModule } from '@costwatch/observability';
import { DetectorMetrics } from './application/detector-metrics';
import { DayClosedUseCase } from './application/day-closed.use-case';
import { JudgeDailyTotalsUseCase } from './application/judge-daily-totals.use-case';
import { JudgeSnapshotsUseCase } from './application/judge-snapshots.use-case';
import { ANOMALY_EVENTS, ANOMALY_STORE, BASELINE_SOURCE, CLOSED_DAYS, DAILY_SETTINGS, DETECTOR_SETTINGS, RULE_BOOK, SERIES_STATE_STORE, type DailySettings, type DetectorSettings } from './application/ports';
import { globalRuleSettings, type DetectorConfig } from './config/detector.config';
import { DailyTotalsConsumer } from './consumers/daily-totals.consumer';
import { CONSUMER_SETTINGS, HourlySnapshotsConsumer, type ConsumerSettings } from './consumers/hourly-snapshots.consumer';
import { RuleBook } from './domain/detection-rules';
import { AnomaliesRepository } from './infra/anomalies.repository';
import { AnomalyEventsPublisher } from './infra/anomaly-events.publisher';
import { BaselinesRepository } from './infra/baselines.repository';
import { ClosedDaysRepository } from './infra/closed-days.repository';
import { SeriesStateRepository } from './infra/series-state.repository';
import { StorageInitializer } from './infra/storage.initializer';

@Module({})
export class AppModule {
  static register(config: DetectorConfig): DynamicModule {
    const settings: DetectorSettings = {
      rolling: config.DETECTION_ROLLING,
      resolveAfterHours: config.DETECTION_RESOLVE_AFTER_HOURS,
      updateGrowth: config.DETECTION_UPDATE_GROWTH,
      restatementHorizonDays: config.DETECTION_RESTATEMENT_HORIZON_DAYS,
    };
    const daily: DailySettings = {
      enabled: config.DETECTION_DAILY,
      minHistoryDays: config.DETECTION_DAILY_MIN_HISTORY_DAYS,
      dropMin: config.DETECTION_DAILY_DROP_MIN ?? Number.POSITIVE_INFINITY,
      resolveAfterDays: config.DETECTION_DAILY_RESOLVE_AFTER_DAYS,
      updateGrowth: config.DETECTION_UPDATE_GROWTH,
      horizonDays: Math.max(config.DETECTION_RESTATEMENT_HORIZON_DAYS, 35),
      minRelDelta: config.DETECTION_DAILY_MIN_REL_DELTA,
    };
    const consumer: ConsumerSettings = {
      groupId: config.DETECTOR_GROUP_ID,
      batchSize: config.CONSUMER_BATCH_SIZE,
      maxAttempts: config.KAFKA_MAX_ATTEMPTS,
      fetchMaxBytesPerPartition: config.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
      pendingRecheckMs: config.DETECTION_PENDING_RECHECK_MS,
    };
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: 'detector', logLevel: config.LOG_LEVEL }),
        KafkaModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          topicPrefix: config.KAFKA_TOPIC_PREFIX,
          topics: [{ topic: 'hourlySnapshots' }, { topic: 'dailyTotals' }, { topic: 'dayClosed', numPartitions: 1 }, { topic: 'anomalies' }],
        }),
        MongoModule.forRoot({ url: config.MONGO_URL, db: config.MONGO_DB }),
      ],
      providers: [
        { provide: DETECTOR_SETTINGS, useValue: settings },
        { provide: DAILY_SETTINGS, useValue: daily },
        { provide: CONSUMER_SETTINGS, useValue: consumer },
        // Compiled once at startup; the config already refused a bad expression naming its setting.
        { provide: RULE_BOOK, useValue: new RuleBook(globalRuleSettings(config), config.DETECTION_OVERRIDES, config.DETECTION_CURRENCY_UNITS) },
        { provide: DetectorMetrics, useFactory: (registry: Registry) => new DetectorMetrics(registry), inject: [Registry] },
        BaselinesRepository,
        ClosedDaysRepository,
        SeriesStateRepository,
        AnomaliesRepository,
        AnomalyEventsPublisher,
        { provide: BASELINE_SOURCE, useExisting: BaselinesRepository },
        { provide: CLOSED_DAYS, useExisting: ClosedDaysRepository },
        { provide: SERIES_STATE_STORE, useExisting: SeriesStateRepository },
        { provide: ANOMALY_STORE, useExisting: AnomaliesRepository },
        { provide: ANOMALY_EVENTS, useExisting: AnomalyEventsPublisher },
        StorageInitializer,
        JudgeSnapshotsUseCase,
        JudgeDailyTotalsUseCase,
        DayClosedUseCase,
        HourlySnapshotsConsumer,
        DailyTotalsConsumer,
      ],
    };
  }
}
