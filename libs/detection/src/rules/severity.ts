export type Severity = 'info' | 'warning' | 'critical';

/** $ impact per step (|observed − expected|) at or above which an anomaly is warning / critical. */
export interface SeverityLevels {
  readonly warning: number;
  readonly critical: number;
}

export const DEFAULT_SEVERITY_LEVELS: SeverityLevels = { warning: 10, critical: 100 };

/**
 * Severity from money at stake rather than from z: a z of 40 on a $0.02/h service is noise to an
 * operator, a z of 3.5 on a $2,000/h one is not. Drops count by their magnitude too (a service
 * that stops billing may be a service that is down).
 */
export function severityFromImpact(delta: number, levels: SeverityLevels = DEFAULT_SEVERITY_LEVELS): Severity {
  const impact = Math.abs(delta);
  if (impact >= levels.critical) return 'critical';
  if (impact >= levels.warning) return 'warning';
  return 'info';
}
