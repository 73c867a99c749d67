import { randomUUID } from 'node:crypto';
import type { Envelope } from './envelope';

/** Wraps a payload for publishing; `eventId` defaults to a random UUID. */
export function createEnvelope<TType extends string, TPayload>(
  type: TType,
  producer: string,
  payload: TPayload,
  options: { eventId?: string; correlationId?: string; occurredAt?: Date } = {},
): Envelope<TType, TPayload> {
  return {
    eventId: options.eventId ?? randomUUID(),
    type,
    version: 1,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    producer,
    ...(options.correlationId ? { correlationId: options.correlationId } : {}),
    payload,
  };
}
