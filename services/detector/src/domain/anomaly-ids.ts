import { createHash } from 'node:crypto';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The detector's series: one domain/project/service in one currency (the baseline's `_id` suffix). */
export interface SeriesIdentity {
  domainId: string;
  projectId: string;
  serviceId: string;
  currency: string;
}

export const seriesIdOf = (s: SeriesIdentity): string => `${s.domainId}|${s.projectId}|${s.serviceId}|${s.currency}`;

/**
 * Deterministic anomaly id: series + rule name + window start. Replaying the same snapshots
 * opens the anomaly at the same hour under the same rule, hence the same id and document.
 */
export function anomalyIdOf(seriesId: string, ruleName: string, windowStartMs: number): string {
  return digest(`anomaly|${seriesId}|${ruleName}|${new Date(windowStartMs).toISOString()}`);
}

/** Deterministic event id: one per anomaly, state and version (a replayed notice keeps its id). */
export function anomalyEventIdOf(anomalyId: string, state: 'firing' | 'resolved', version: number): string {
  return digest(`anomaly-event|${anomalyId}|${state}|${version}`);
}
