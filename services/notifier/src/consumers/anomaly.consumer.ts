import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import pLimit from 'p-limit';
import { anomalyEventSchema } from '@costwatch/contracts';
import { EventConsumer, type BatchItem, type EventPublisher, type KafkaMetrics, type RetryPolicy } from '@costwatch/kafka';
import type { NotifyAnomalyUseCase } from '../application/notify-anomaly.use-case';
import { fingerprint } from '../domain/alert-identity';

export interface ConsumerSettings {
  topic: string;
  groupId: string;
  retry: Partial<RetryPolicy>;
  /** Partitions handled side by side (an alert stream's events share a partition, so its order holds). */
  partitionsConcurrently?: number;
  fetchMaxBytesPerPartition?: number;
}

/** Alert streams of one batch handled at once (each stream's events stay in order). */
const STREAMS_CONCURRENTLY = 16;

type AnomalyItem = BatchItem<(typeof anomalyEventSchema)['_zod']['output']>;

/**
 * Handles items grouped by stream key: each stream's items one after another in their
 * order, streams side by side (at most `concurrency` at once). Every stream runs to its end
 * or its first failure before the first failure is rethrown, so a retry of the whole batch
 * never overlaps work still running.
 */
export async function handleByStream<T>(items: readonly T[], keyOf: (item: T) => string, handle: (item: T) => Promise<void>, concurrency: number): Promise<void> {
  const streams = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const stream = streams.get(key);
    if (stream) stream.push(item);
    else streams.set(key, [item]);
  }
  const limit = pLimit(concurrency);
  const outcomes = await Promise.allSettled(
    [...streams.values()].map((stream) =>
      limit(async () => {
        for (const item of stream) await handle(item);
      }),
    ),
  );
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * `billing.anomalies.v1` → NotifyAnomalyUseCase. Validation, retries and the DLQ are
 * EventConsumer's. A batch is split into alert streams (fingerprints): each stream's events
 * are handled in offset order, different streams side by side, so a burst of anomalies on
 * one partition does not queue every alert behind the deliveries of the ones before it. A
 * failed batch is retried whole and then event by event; the use case recognises events it
 * has already handled, so a retry sends nothing twice.
 */
export function createAnomalyConsumer(
  kafka: Kafka,
  settings: ConsumerSettings,
  useCase: NotifyAnomalyUseCase,
  deadLetters: EventPublisher,
  logger: Logger,
  metrics?: KafkaMetrics,
): EventConsumer<typeof anomalyEventSchema> {
  const handle = async ({ event, context }: AnomalyItem): Promise<void> => {
    const correlationId = event.correlationId ?? context.correlationId;
    await useCase.execute({ eventId: event.eventId, occurredAt: event.occurredAt, anomaly: event.payload, ...(correlationId ? { correlationId } : {}) }, context.logger);
  };
  return new EventConsumer(
    kafka,
    {
      groupId: settings.groupId,
      topic: settings.topic,
      schema: anomalyEventSchema,
      retry: settings.retry,
      ...(settings.partitionsConcurrently ? { partitionsConsumedConcurrently: settings.partitionsConcurrently } : {}),
      ...(settings.fetchMaxBytesPerPartition ? { fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition } : {}),
      handleBatch: (items) => handleByStream(items, (item) => fingerprint(item.event.payload), handle, STREAMS_CONCURRENTLY),
    },
    deadLetters,
    logger,
    metrics,
  );
}
