import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { hourlySnapshotEventSchema, type TopicNames } from '@costwatch/contracts';
import { EventConsumer, EventPublisher, KafkaMetrics, TOPIC_NAMES, type BatchItem } from '@costwatch/kafka';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';
import { JudgeSnapshotsUseCase, type IncomingSnapshot } from '../application/judge-snapshots.use-case';

export const CONSUMER_SETTINGS = Symbol('CONSUMER_SETTINGS');

export interface ConsumerSettings {
  groupId: string;
  batchSize: number;
  maxAttempts: number;
  fetchMaxBytesPerPartition: number;
  pendingRecheckMs: number;
}

type SnapshotItem = BatchItem<(typeof hourlySnapshotEventSchema)['_zod']['output']>;

const toIncoming = (items: readonly SnapshotItem[]): IncomingSnapshot[] =>
  items.map(({ event, context }) => ({
    snapshot: event.payload,
    occurredAtMs: Date.parse(event.occurredAt),
    ...((context.correlationId ?? event.correlationId) ? { correlationId: context.correlationId ?? event.correlationId } : {}),
  }));

/**
 * billing.hourly.v1 → JudgeSnapshotsUseCase, in batches. Also re-checks, on a timer, hours
 * waiting for their baseline: after the last snapshot of a day nothing else would wake them.
 */
@Injectable()
export class HourlySnapshotsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: EventConsumer<typeof hourlySnapshotEventSchema>;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    kafka: Kafka,
    publisher: EventPublisher,
    metrics: KafkaMetrics,
    private readonly judge: JudgeSnapshotsUseCase,
    readiness: Readiness,
    @Inject(CONSUMER_SETTINGS) private readonly settings: ConsumerSettings,
    @Inject(TOPIC_NAMES) topics: TopicNames,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.consumer = new EventConsumer(
      kafka,
      {
        groupId: settings.groupId,
        topic: topics.hourlySnapshots,
        schema: hourlySnapshotEventSchema,
        retry: { maxAttempts: settings.maxAttempts },
        fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition,
        maxBatchSize: settings.batchSize,
        onGroupJoin: () => judge.reset(),
        handleBatch: (items) => judge.execute(toIncoming(items)),
      },
      publisher,
      logger,
      metrics,
    );
    readiness.add({ name: 'consumer', check: () => (this.consumer.isReady ? Promise.resolve() : Promise.reject(new Error('consumer group not joined yet'))) });
  }

  onApplicationBootstrap(): void {
    void keepTrying('hourly snapshots consumer', () => this.consumer.start(), this.logger, this.abort.signal);
    this.timer = setInterval(() => {
      if (this.judge.pendingSeries === 0) return;
      this.judge.recheckPending().catch((error: unknown) => this.logger.warn({ err: error }, 're-checking waiting snapshots failed; will retry'));
    }, this.settings.pendingRecheckMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    await this.consumer.stop();
  }
}
