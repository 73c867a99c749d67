import { BillingSourceError } from './billing-source-error';
import { withRetry, type RetryDecision } from './retry';

const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4 };
const retriable = (error: unknown): RetryDecision => (error instanceof Error && error.message === 'busy' ? { retry: true } : { retry: false });

describe('withRetry', () => {
  it('retries a retriable failure and returns the eventual result', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('busy');
        return 'ok';
      },
      policy,
      { source: 'focus', operation: 'op', classify: retriable },
    );
    expect([result, calls]).toEqual(['ok', 3]);
  });

  it('stops at the bound with RETRIES_EXHAUSTED naming the operation and the last failure', async () => {
    let calls = 0;
    const attempt = withRetry(
      async () => {
        calls += 1;
        throw new Error('busy');
      },
      policy,
      { source: 'kakaocloud', operation: 'GET /x', classify: retriable },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED', message: 'kakaocloud: GET /x failed after 3 attempt(s); last failure: busy' });
    await expect(attempt).rejects.toBeInstanceOf(BillingSourceError);
    expect(calls).toBe(3);
  });

  it('rethrows a non-retriable failure at once', async () => {
    let calls = 0;
    const attempt = withRetry(
      async () => {
        calls += 1;
        throw new Error('denied');
      },
      policy,
      { source: 'focus', operation: 'op', classify: retriable },
    );
    await expect(attempt).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });
});
