import { z } from 'zod';

/**
 * Every event on every topic is wrapped in this envelope. `version` matches the topic's
 * suffix; `correlationId` follows a record from collection to notification (it is also
 * carried in the Kafka headers so logs can be joined across services).
 */
export function envelopeSchema<T extends z.ZodTypeAny>(type: string, payload: T) {
  return z.object({
    eventId: z.string().min(1),
    type: z.literal(type),
    version: z.literal(1),
    occurredAt: z.iso.datetime({ offset: true }),
    producer: z.string().min(1),
    correlationId: z.string().min(1).optional(),
    payload,
  });
}

export interface Envelope<TType extends string, TPayload> {
  eventId: string;
  type: TType;
  version: 1;
  occurredAt: string;
  producer: string;
  correlationId?: string;
  payload: TPayload;
}
