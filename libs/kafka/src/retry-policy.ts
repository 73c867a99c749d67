export interface RetryPolicy {
  /** Deliveries of one message, the first included, before it is dead-lettered. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * The one backoff of the codebase (Kafka redelivery, the notifier's deliveries, the
 * collector's provider calls): exponential, with jitter over the upper half of each step so
 * many clients retrying do not hit a dependency in step, yet never retry at once. A server's
 * hint (`notBeforeMs`, e.g. Retry-After) raises the wait; `maxDelayMs` caps it either way.
 */
export function backoffDelay(
  policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>,
  attempt: number,
  random: () => number = Math.random,
  notBeforeMs = 0,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + (random() * ceiling) / 2);
  return Math.min(policy.maxDelayMs, Math.max(notBeforeMs, jittered));
}
