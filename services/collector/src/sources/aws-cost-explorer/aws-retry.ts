import type { RetryDecision } from '../shared/retry';

/** Error names AWS uses for rate limiting (Cost Explorer answers LimitExceededException). */
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
]);
const TRANSIENT_ERRORS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

/** Throttling, 5xx and transport failures are retried; everything else (AccessDenied, validation) is not. */
export function classifyAwsError(error: unknown): RetryDecision {
  // Duck-typed: socket errors can come from another realm (e.g. under jest) and fail instanceof Error.
  if (typeof error !== 'object' || error === null) return { retry: false };
  const details = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof details.name === 'string' ? details.name : '';
  if (THROTTLING_ERRORS.has(name)) return { retry: true };
  if ((details.$metadata?.httpStatusCode ?? 0) >= 500) return { retry: true };
  if (TRANSIENT_ERRORS.has(name) || (typeof details.code === 'string' && TRANSIENT_ERRORS.has(details.code))) return { retry: true };
  return { retry: false };
}
