import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { anomalyEventSchema } from '@costwatch/contracts';
import { EventConsumer, type EventPublisher, type KafkaMetrics, type RetryPolicy } from '@costwatch/kafka';
import type { NotifyAnomalyUseCase } from '../application/notify-anomaly.use-case';

export interface ConsumerSettings {
  topic: string;
  groupId: string;
  retry: Partial<RetryPolicy>;
  /** Partitions handled side by side (an alert stream's events share a partition, so its order holds). */
  partitionsConcurrently?: number;
}

/** `billing.anomalies.v1` → NotifyAnomalyUseCase. Validation, retries and the DLQ are EventConsumer's. */
export function createAnomalyConsumer(
  kafka: Kafka,
  settings: ConsumerSettings,
  useCase: NotifyAnomalyUseCase,
  deadLetters: EventPublisher,
  logger: Logger,
  metrics?: KafkaMetrics,
): EventConsumer<typeof anomalyEventSchema> {
  return new EventConsumer(
    kafka,
    {
      groupId: settings.groupId,
      topic: settings.topic,
      schema: anomalyEventSchema,
      retry: settings.retry,
      ...(settings.partitionsConcurrently ? { partitionsConsumedConcurrently: settings.partitionsConcurrently } : {}),
      handle: async (event, context) => {
        const correlationId = event.correlationId ?? context.correlationId;
        await useCase.execute(
          { eventId: event.eventId, occurredAt: event.occurredAt, anomaly: event.payload, ...(correlationId ? { correlationId } : {}) },
          context.logger,
        );
      },
    },
    deadLetters,
    logger,
    metrics,
  );
}
