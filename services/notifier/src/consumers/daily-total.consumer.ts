import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { dailyTotalEventSchema } from '@costwatch/contracts';
import { EventConsumer, type EventPublisher, type KafkaMetrics } from '@costwatch/kafka';
import type { PublishDailyTotalUseCase } from '../application/publish-daily-total.use-case';
import type { ConsumerSettings } from './anomaly.consumer';

/** `billing.daily-totals.v1` → PublishDailyTotalUseCase. */
export function createDailyTotalConsumer(
  kafka: Kafka,
  settings: ConsumerSettings,
  useCase: PublishDailyTotalUseCase,
  deadLetters: EventPublisher,
  logger: Logger,
  metrics?: KafkaMetrics,
): EventConsumer<typeof dailyTotalEventSchema> {
  return new EventConsumer(
    kafka,
    {
      groupId: settings.groupId,
      topic: settings.topic,
      schema: dailyTotalEventSchema,
      retry: settings.retry,
      ...(settings.partitionsConcurrently ? { partitionsConsumedConcurrently: settings.partitionsConcurrently } : {}),
      ...(settings.fetchMaxBytesPerPartition ? { fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition } : {}),
      handle: async (event, context) => {
        const correlationId = event.correlationId ?? context.correlationId;
        await useCase.execute({ eventId: event.eventId, total: event.payload, ...(correlationId ? { correlationId } : {}) }, context.logger);
      },
    },
    deadLetters,
    logger,
    metrics,
  );
}
