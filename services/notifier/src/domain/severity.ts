import { severities, type Anomaly } from '@costwatch/contracts';

export type Severity = Anomaly['severity'];

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/** Orders severities: negative when `a` is less severe than `b`, 0 when equal. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

/** True when `next` is strictly more severe than `previous` (an escalation re-notifies). */
export function isEscalation(previous: Severity, next: Severity): boolean {
  return compareSeverity(next, previous) > 0;
}

/** True when `severity` is at least `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return compareSeverity(severity, threshold) >= 0;
}

export function isSeverity(value: string): value is Severity {
  return (severities as readonly string[]).includes(value);
}
