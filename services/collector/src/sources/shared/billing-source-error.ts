import type { BillingRecord } from '@costwatch/contracts';

/**
 * Why a whole collection failed (row-level problems are rejected rows, not errors):
 * - HTTP_STATUS: the API answered with a status that retrying cannot fix (4xx other than 429);
 * - RETRIES_EXHAUSTED: retriable failures (429, 5xx, throttling, timeouts) past the attempt budget;
 * - BAD_RESPONSE: an answer that is not the documented shape (not JSON, no items, a page loop);
 * - BAD_FILE: a FOCUS file that cannot be imported at all (unreadable, required columns missing);
 * - ACCOUNTS_FAILED: one or more AWS accounts could not be collected (the others were);
 * - BAD_OPTIONS: a source was constructed with invalid settings.
 */
export type BillingSourceErrorCode =
  | 'HTTP_STATUS'
  | 'RETRIES_EXHAUSTED'
  | 'BAD_RESPONSE'
  | 'BAD_FILE'
  | 'ACCOUNTS_FAILED'
  | 'BAD_OPTIONS';

export class BillingSourceError extends Error {
  constructor(
    readonly source: BillingRecord['source'],
    readonly code: BillingSourceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message}`, options);
    this.name = 'BillingSourceError';
  }
}
