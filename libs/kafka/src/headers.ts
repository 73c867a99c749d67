import type { IHeaders } from 'kafkajs';

export const Headers = {
  correlationId: 'x-correlation-id',
  eventType: 'x-event-type',
  dlqReason: 'x-dlq-reason',
  dlqOriginalTopic: 'x-dlq-original-topic',
  dlqOriginalPartition: 'x-dlq-original-partition',
  dlqOriginalOffset: 'x-dlq-original-offset',
  dlqConsumerGroup: 'x-dlq-consumer-group',
  dlqAttempts: 'x-dlq-attempts',
  dlqFailedAt: 'x-dlq-failed-at',
} as const;

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
