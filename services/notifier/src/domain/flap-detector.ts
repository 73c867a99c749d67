/**
 * Flap detection: a series whose state (firing/resolved) changes at least `threshold`
 * times within `windowMs` is flapping. It stays flapping — one notice, then quiet — until
 * it has gone a whole window without a state change.
 */
export interface FlapPolicy {
  windowMs: number;
  threshold: number;
}

export type FlapStatus = 'stable' | 'started' | 'flapping' | 'ended';

/** The state-change instants still inside the window ending at `now`, oldest first. */
export function recentChanges(changes: readonly number[], now: number, policy: FlapPolicy): number[] {
  return changes.filter((at) => at > now - policy.windowMs);
}

/**
 * Records a state change at `at` and forgets the ones outside the window. Only the newest
 * `threshold` instants are kept: enough to count to the threshold, and bounded in storage.
 */
export function recordChange(changes: readonly number[], at: number, policy: FlapPolicy): number[] {
  return [...recentChanges(changes, at, policy), at].sort((a, b) => a - b).slice(-policy.threshold);
}

export function assessFlapping(wasFlapping: boolean, changes: readonly number[], now: number, policy: FlapPolicy): FlapStatus {
  const recent = recentChanges(changes, now, policy).length;
  if (!wasFlapping) return recent >= policy.threshold ? 'started' : 'stable';
  return recent === 0 ? 'ended' : 'flapping';
}
