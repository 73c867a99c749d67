import type { BillingRecord } from '@costwatch/contracts';
import { backoffDelay } from '@costwatch/kafka';
import { z } from 'zod';
import { BillingSourceError } from './billing-source-error';
import { describeError } from './describe-error';

/** How hard a source retries a retriable failure before giving up (bounded, never forever). */
export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** First backoff ceiling; doubles per attempt (@costwatch/kafka's `backoffDelay`: jitter over the upper half). */
  baseDelayMs: number;
  /** Upper bound for one wait, also for a server's Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000 };

/** Overrides of DEFAULT_RETRY_POLICY in a source's options. */
export const retryPolicyOptionsSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20),
    baseDelayMs: z.number().int().min(0),
    maxDelayMs: z.number().int().min(0),
  })
  .partial();

/** What to do with a failure: give up now (rethrown as is), or retry, optionally not before a hinted delay. */
export type RetryDecision = { retry: false } | { retry: true; notBeforeMs?: number };

export interface RetryContext {
  source: BillingRecord['source'];
  /** What is being attempted, for the exhaustion message, e.g. "GET /v1/billing/daily-costs?date=20251221". */
  operation: string;
  classify: (error: unknown) => RetryDecision;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs an operation, retrying the failures `classify` calls retriable with backoff, at most
 * `policy.maxAttempts` times in all. A non-retriable failure is rethrown unchanged; running out
 * of attempts throws RETRIES_EXHAUSTED naming the operation and the last failure.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy, context: RetryContext): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = context.classify(error);
      if (!decision.retry) throw error;
      if (attempt >= policy.maxAttempts) {
        throw new BillingSourceError(
          context.source,
          'RETRIES_EXHAUSTED',
          `${context.operation} failed after ${attempt} attempt(s); last failure: ${describeError(error)}`,
          { cause: error },
        );
      }
      await sleep(backoffDelay({ initialDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs }, attempt, Math.random, decision.notBeforeMs));
    }
  }
}
