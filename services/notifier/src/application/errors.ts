/**
 * Failures of the notifier's use cases. All are retriable: the Kafka consumer redelivers
 * the message with backoff and dead-letters it once its budget is spent, and the periodic
 * sweep finishes any delivery left pending in MongoDB.
 */
export const notifierErrorCodes = ['delivery_failed', 'concurrent_update', 'outbox_busy'] as const;
export type NotifierErrorCode = (typeof notifierErrorCodes)[number];

export class NotifierException extends Error {
  constructor(
    readonly code: NotifierErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NotifierException';
  }
}

/** Some destinations did not take a notice after all their attempts; names the channels, never URLs. */
export class DeliveryFailedError extends NotifierException {
  constructor(
    readonly failedKeys: readonly string[],
    readonly reasons: readonly string[],
    cause?: unknown,
  ) {
    super('delivery_failed', `delivery failed to ${failedKeys.join(', ')}: ${reasons.join('; ')}`, cause === undefined ? undefined : { cause });
  }
}

/** Another writer changed the alert stream's state between our read and our write. */
export class ConcurrentUpdateError extends NotifierException {
  constructor(fingerprint: string) {
    super('concurrent_update', `notification state ${fingerprint} changed concurrently`);
  }
}

/** Another notifier instance is delivering this alert stream's previous notice right now. */
export class OutboxBusyError extends NotifierException {
  constructor(fingerprint: string) {
    super('outbox_busy', `notice delivery for ${fingerprint} is in progress elsewhere`);
  }
}
