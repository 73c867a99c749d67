import type { Anomaly } from '@costwatch/contracts';
import type { Severity } from './severity';

export type AnomalyState = Anomaly['state'];

/**
 * Why a notice is sent: a new anomaly, a severity escalation, a reminder after the repeat
 * interval, the end of an anomaly, or the single notice for a flapping series.
 */
export const noticeKinds = ['firing', 'escalated', 'repeat', 'resolved', 'flapping'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export const suppressionReasons = ['duplicate', 'flapping', 'muted', 'quiet_hours'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** What every channel sees: one decided notification about one alert stream. */
export interface Notice {
  /** Deterministic: the fingerprint plus the event (or sweep step) that caused it. */
  noticeId: string;
  fingerprint: string;
  kind: NoticeKind;
  /** Set on the first notice after a flapping series became stable again. */
  flapEnded: boolean;
  severity: Severity;
  anomaly: Anomaly;
  /** Epoch ms when the notice was decided. */
  createdAt: number;
  correlationId?: string;
}

/** The state a notice puts its receivers in: everything but a resolution says "firing". */
export function noticeState(kind: NoticeKind): AnomalyState {
  return kind === 'resolved' ? 'resolved' : 'firing';
}
