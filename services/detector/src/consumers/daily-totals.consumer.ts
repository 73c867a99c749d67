import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { dailyTotalEventSchema, dayClosedEventSchema, type TopicNames } from '@costwatch/contracts';
import { EventConsumer, EventPublisher, KafkaMetrics, TOPIC_NAMES } from '@costwatch/kafka';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';
import { DayClosedUseCase } from '../application/day-closed.use-case';
import { JudgeDailyTotalsUseCase } from '../application/judge-daily-totals.use-case';
import { CONSUMER_SETTINGS, type ConsumerSettings } from './hourly-snapshots.consumer';

/** The daily consumers' groups, derived from the detector's: each topic has its own group and offsets. */
export const dailyGroupIds = (groupId: string) => ({ dailyTotals: `${groupId}-daily`, dayClosed: `${groupId}-days` });

/**
 * billing.daily-totals.v1 → JudgeDailyTotalsUseCase (every series' total when its day closes)
 * and billing.day-closed.v1 → DayClosedUseCase (collection gaps, and the hours waiting for
 * the baselines that day wrote).
 */
@Injectable()
export class DailyTotalsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly totals: EventConsumer<typeof dailyTotalEventSchema>;
  private readonly days: EventConsumer<typeof dayClosedEventSchema>;
  private readonly abort = new AbortController();

  constructor(
    kafka: Kafka,
    publisher: EventPublisher,
    metrics: KafkaMetrics,
    judge: JudgeDailyTotalsUseCase,
    dayClosed: DayClosedUseCase,
    readiness: Readiness,
    @Inject(CONSUMER_SETTINGS) settings: ConsumerSettings,
    @Inject(TOPIC_NAMES) topics: TopicNames,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    const groups = dailyGroupIds(settings.groupId);
    this.totals = new EventConsumer(
      kafka,
      {
        groupId: groups.dailyTotals,
        topic: topics.dailyTotals,
        schema: dailyTotalEventSchema,
        retry: { maxAttempts: settings.maxAttempts },
        fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition,
        maxBatchSize: settings.batchSize,
        handleBatch: (items) =>
          judge.execute(
            items.map(({ event, context }) => {
              const correlationId = context.correlationId ?? event.correlationId;
              return { total: event.payload, ...(correlationId ? { correlationId } : {}) };
            }),
          ),
      },
      publisher,
      logger,
      metrics,
    );
    this.days = new EventConsumer(
      kafka,
      {
        groupId: groups.dayClosed,
        topic: topics.dayClosed,
        schema: dayClosedEventSchema,
        retry: { maxAttempts: settings.maxAttempts },
        handle: (event) => dayClosed.execute(event.payload),
      },
      publisher,
      logger,
      metrics,
    );
    readiness.add({ name: 'daily-consumers', check: () => (this.totals.isReady && this.days.isReady ? Promise.resolve() : Promise.reject(new Error('daily consumer groups not joined yet'))) });
  }

  onApplicationBootstrap(): void {
    void keepTrying('daily totals consumer', () => this.totals.start(), this.logger, this.abort.signal);
    void keepTrying('day-closed consumer', () => this.days.start(), this.logger, this.abort.signal);
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.all([this.totals.stop(), this.days.stop()]);
  }
}
