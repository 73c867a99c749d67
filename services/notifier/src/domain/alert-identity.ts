import { createHash } from 'node:crypto';
import type { Anomaly } from '@costwatch/contracts';
import type { Severity } from './severity';

/** The Alertmanager `alertname` of every billing cost anomaly. */
export const ALERT_NAME = 'BillingCostAnomaly';
/** The `alertname` of a domain that sent no billing data for a day. */
export const GAP_ALERT_NAME = 'BillingCollectionGap';

export const alertNameOf = (anomaly: Pick<Anomaly, 'kind'>): string => (anomaly.kind === 'collection-gap' ? GAP_ALERT_NAME : ALERT_NAME);

/**
 * The labels that identify an alert in Alertmanager. Severity is a label (routing and
 * silences match on it) but not part of our fingerprint: an escalation is the same alert
 * getting worse, not a new one.
 */
export interface AlertLabels {
  alertname: string;
  domain: string;
  project: string;
  service: string;
  rule: string;
  /** `hourly` or `daily`: what was judged. */
  granularity: string;
  /**
   * `<domain>@<day the anomaly started>`: a roll-up's anomaly and the anomalies of the
   * services and projects behind it share it, so Alertmanager can group them as one incident.
   */
  incident: string;
  severity: Severity;
}

export const incidentOf = (anomaly: Pick<Anomaly, 'series' | 'window'>): string => `${anomaly.series.domainId}@${anomaly.window.start.slice(0, 10)}`;

/** The top contributors in one line, e.g. `service=vm 96%, service=disk 3%`; empty when there are none. */
export function contributorsText(anomaly: Pick<Anomaly, 'contributors'>, limit = 5): string {
  return anomaly.contributors
    .slice(0, limit)
    .map((c) => `${c.dimension}=${c.value} ${Math.round(c.share * 100)}%`)
    .join(', ');
}

export function alertLabels(anomaly: Anomaly, severity: Severity = anomaly.severity): AlertLabels {
  return {
    alertname: alertNameOf(anomaly),
    domain: anomaly.series.domainId,
    project: anomaly.series.projectId,
    service: anomaly.series.serviceId,
    rule: anomaly.rule,
    granularity: anomaly.granularity,
    incident: incidentOf(anomaly),
    severity,
  };
}

/**
 * What silences match on: the identity labels plus the display name and currency, which
 * may be renamed and so must not be part of Alertmanager's identity.
 */
export function matchableLabels(anomaly: Anomaly): Readonly<Record<string, string>> {
  return { ...alertLabels(anomaly), service_name: anomaly.series.serviceName, currency: anomaly.series.currency };
}

/**
 * Deterministic id of one alert stream (series + rule): dedup, flap detection and the
 * delivery record of a series all live under it. The parts are length-prefixed so no
 * choice of ids can make two different series collide.
 */
export function fingerprint(anomaly: Pick<Anomaly, 'series' | 'rule'> & Partial<Pick<Anomaly, 'granularity' | 'kind'>>): string {
  const parts = [alertNameOf({ kind: anomaly.kind ?? 'cost' }), anomaly.series.domainId, anomaly.series.projectId, anomaly.series.serviceId, anomaly.rule];
  // A series' daily and rolling judgements are streams of their own beside the hourly one (hourly ids unchanged).
  if (anomaly.granularity === 'daily' || anomaly.granularity === 'rolling-24h') parts.push(anomaly.granularity);
  const key = parts.map((part) => `${part.length}:${part}`).join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
