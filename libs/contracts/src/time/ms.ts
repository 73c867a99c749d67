/**
 * Milliseconds per unit: the one set of time constants. It lives here because every service
 * and lib already depends on @costwatch/contracts; the detection kernel re-exports it.
 */
export const MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
} as const;
