import type { Severity } from './severity';

/**
 * - normal: judged, nothing fired
 * - anomaly: the threshold expression fired
 * - drop-to-zero / first-seen: a guard fired (see DetectionRule)
 * - recurring: the expression fired but last month had the same value at the same instant
 * - cold-start: too little history to judge; never alerts
 */
export type Verdict = 'normal' | 'anomaly' | 'drop-to-zero' | 'first-seen' | 'recurring' | 'cold-start';

export function isAlerting(verdict: Verdict): boolean {
  return verdict === 'anomaly' || verdict === 'drop-to-zero' || verdict === 'first-seen';
}

/** Everything an alert needs to say why: observed vs expected, the scores, what fired, how bad. */
export interface Judgement {
  readonly timestampMs: number;
  readonly anomalous: boolean;
  readonly verdict: Verdict;
  readonly observed: number;
  readonly expected: number;
  /** observed − expected: the $ impact for billing series. */
  readonly delta: number;
  readonly relDelta: number;
  readonly z: number;
  readonly ratio: number;
  readonly robustZ: number;
  readonly seasonalZ: number;
  /** `<rule name>: <expression>`, or the guard that decided. */
  readonly rule: string;
  /** The comparisons that held (for an anomaly), e.g. ["z > 3"]. */
  readonly firedBy: readonly string[];
  /** Null unless anomalous. */
  readonly severity: Severity | null;
  readonly baselineWindow: { readonly startMs: number; readonly endMs: number };
  readonly baselineCount: number;
}
