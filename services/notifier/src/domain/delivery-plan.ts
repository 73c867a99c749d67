import type { AnomalyState, NoticeKind } from './notice';
import { atLeast, type Severity } from './severity';
import { isQuiet, type QuietSchedule } from './quiet-hours';

export const channelKinds = ['syslog', 'alertmanager', 'webhook', 'slack'] as const;
export type ChannelKind = (typeof channelKinds)[number];

/** One destination: syslog, one Alertmanager instance, the webhook or Slack. */
export interface ChannelTarget {
  /** Stable key, safe as a MongoDB field name (no dots, no `$`). */
  key: string;
  kind: ChannelKind;
}

/** What a destination was last given for an alert stream. */
export interface ChannelMemory {
  noticeId: string;
  state: AnomalyState;
  severity: Severity;
  /** Epoch ms. */
  at: number;
}

/** `held`: waiting for the quiet hours to end; `pending`: to be delivered now. */
export type PlannedDelivery = 'pending' | 'held';

/** Syslog is a log, read by keyword policies the operator set up; the others page people. */
export function isPaging(kind: ChannelKind): boolean {
  return kind !== 'syslog';
}

export interface QuietPolicy {
  schedule: QuietSchedule;
  /** Notices at or above this severity page even in quiet hours; undefined: none do. */
  bypassSeverity?: Severity;
}

/**
 * Quiet hours hold the paging channels for firing-type notices. Resolutions are never held:
 * they only clear what was already delivered, and good news does not wake anyone up.
 */
export function holdsPaging(kind: NoticeKind, severity: Severity, quiet: QuietPolicy, now: number): boolean {
  if (kind === 'resolved') return false;
  if (quiet.bypassSeverity !== undefined && atLeast(severity, quiet.bypassSeverity)) return false;
  return isQuiet(quiet.schedule, now);
}

/**
 * Which destinations get a notice. A resolution goes only to destinations that were told
 * "firing" (a receiver that never saw the alert has nothing to clear); every other notice
 * goes everywhere, paging destinations held while quiet.
 */
export function planDelivery(
  kind: NoticeKind,
  targets: readonly ChannelTarget[],
  delivered: Readonly<Record<string, ChannelMemory>>,
  holdPaging: boolean,
): Record<string, PlannedDelivery> {
  const plan: Record<string, PlannedDelivery> = {};
  for (const target of targets) {
    if (kind === 'resolved') {
      if (delivered[target.key]?.state === 'firing') plan[target.key] = 'pending';
    } else {
      plan[target.key] = holdPaging && isPaging(target.kind) ? 'held' : 'pending';
    }
  }
  return plan;
}
