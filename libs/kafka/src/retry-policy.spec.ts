import { backoffDelay } from './retry-policy';

describe('backoffDelay', () => {
  const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles per attempt and stays within [ceiling/2, ceiling]', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
  });

  it('never exceeds the maximum delay', () => {
    expect(backoffDelay(policy, 20, () => 1)).toBe(1_000);
  });

  it('waits at least a server hint, but never past the maximum', () => {
    expect(backoffDelay(policy, 1, () => 0, 500)).toBe(500);
    expect(backoffDelay(policy, 1, () => 0, 60_000)).toBe(1_000);
  });
});
