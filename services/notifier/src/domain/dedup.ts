import type { Anomaly } from '@costwatch/contracts';
import { isEscalation, type Severity } from './severity';
import type { AnomalyState, NoticeKind } from './notice';

/** What the receivers were last told about an alert stream. */
export interface LastNotice {
  kind: NoticeKind;
  state: AnomalyState;
  severity: Severity;
  anomalyId: string;
  /** Epoch ms. */
  at: number;
}

/**
 * Dedup by fingerprint within the repeat interval. A firing anomaly is announced when it
 * is new (nothing firing was said, or a different anomaly id), again when its severity
 * rises, and as a reminder once the repeat interval has passed; a resolution only when a
 * firing was announced. Anything else is a duplicate.
 */
export function dedup(
  last: LastNotice | undefined,
  anomaly: Pick<Anomaly, 'anomalyId' | 'state' | 'severity'>,
  now: number,
  repeatIntervalMs: number,
): NoticeKind | 'duplicate' {
  if (anomaly.state === 'resolved') return last?.state === 'firing' ? 'resolved' : 'duplicate';
  if (last?.state !== 'firing' || last.anomalyId !== anomaly.anomalyId) return 'firing';
  if (isEscalation(last.severity, anomaly.severity)) return 'escalated';
  return now - last.at >= repeatIntervalMs ? 'repeat' : 'duplicate';
}
