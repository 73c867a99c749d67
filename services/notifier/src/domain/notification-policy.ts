import type { Anomaly } from '@costwatch/contracts';
import { matchableLabels } from './alert-identity';
import { dedup, type LastNotice } from './dedup';
import { assessFlapping, recentChanges, recordChange, type FlapPolicy } from './flap-detector';
import { noticeState, type AnomalyState, type NoticeKind, type SuppressionReason } from './notice';
import { compareSeverity, type Severity } from './severity';
import { findSilence, type Silence } from './silence';

/** Everything the notifier remembers about one alert stream between events (no I/O). */
export interface SeriesMemory {
  /** The state of the last event applied. */
  state?: AnomalyState;
  lastEventId?: string;
  /** `occurredAt` (epoch ms) of the last event applied; older events are stale. */
  lastEventAt?: number;
  /**
   * Event-time instants (epoch ms, see `stateChangedAt`) of recent state changes, oldest
   * first: flapping is about how the series behaves, not how fast its history arrives.
   */
  changes: number[];
  flapping: boolean;
  lastNotice?: LastNotice;
}

export const emptyMemory = (): SeriesMemory => ({ changes: [], flapping: false });

export interface NotificationPolicy {
  repeatIntervalMs: number;
  flap: FlapPolicy;
  silences: readonly Silence[];
}

export interface IncomingAnomaly {
  eventId: string;
  /** Epoch ms. */
  occurredAt: number;
  anomaly: Anomaly;
}

export type Decision =
  | { outcome: 'notify'; kind: NoticeKind; flapEnded: boolean; severity: Severity; memory: SeriesMemory }
  | { outcome: 'suppress'; reason: SuppressionReason; detail: string; memory: SeriesMemory; silence?: Silence };

function suppress(reason: SuppressionReason, detail: string, memory: SeriesMemory, silence?: Silence): Decision {
  return { outcome: 'suppress', reason, detail, memory, ...(silence ? { silence } : {}) };
}

function maxSeverity(a: Severity, b: Severity | undefined): Severity {
  return b !== undefined && compareSeverity(b, a) > 0 ? b : a;
}

/**
 * The last suppression gate (mute list / silences) and the notice itself. A resolution is
 * never muted: it only goes where the firing went, and withholding it would leave an alert
 * firing forever downstream.
 */
function announce(kind: NoticeKind, flapEnded: boolean, severity: Severity, anomaly: Anomaly, memory: SeriesMemory, now: number, policy: NotificationPolicy): Decision {
  if (kind !== 'resolved') {
    const silence = findSilence(policy.silences, matchableLabels(anomaly), now);
    if (silence) return suppress('muted', silence.comment ?? 'matches a silence', memory, silence);
  }
  const lastNotice: LastNotice = { kind, state: noticeState(kind), severity, anomalyId: anomaly.anomalyId, at: now };
  return { outcome: 'notify', kind, flapEnded, severity, memory: { ...memory, lastNotice } };
}

/** The notice that closes a flapping episode: the series' current state, said once. */
function flapEnd(state: AnomalyState | undefined, anomaly: Anomaly, memory: SeriesMemory, now: number, policy: NotificationPolicy): Decision {
  if (state === 'firing') return announce('firing', true, anomaly.severity, anomaly, memory, now, policy);
  if (memory.lastNotice?.state === 'firing') return announce('resolved', true, memory.lastNotice.severity, anomaly, memory, now, policy);
  return suppress('duplicate', 'flapping ended in a state the receivers already know', memory);
}

/**
 * When, in the series' own time, an anomaly's state changed: a firing anomaly started with
 * its window, a resolved one ended with it. Live, this trails the wall clock by the
 * collection delay; in a backfill or replay it is the period's time, so weeks of history
 * delivered in minutes do not look like a series flipping every few seconds.
 */
export function stateChangedAt(anomaly: Anomaly): number {
  return Date.parse(anomaly.state === 'firing' ? anomaly.window.start : anomaly.window.end);
}

/**
 * Decides what one anomaly event means for the receivers, in order: replays and stale
 * events are duplicates; then flap detection (in event time: `stateChangedAt`); then dedup
 * within the repeat interval (re-notifying on escalation); then silences. The repeat
 * interval, silences and quiet hours are about the receivers, so they use the notifier's
 * clock (`now`). Quiet hours are not decided here: they only delay the paging channels (see
 * planDelivery), they do not change what happened.
 */
export function decideOnEvent(memory: SeriesMemory, incoming: IncomingAnomaly, now: number, policy: NotificationPolicy): Decision {
  const { anomaly } = incoming;
  if (memory.lastEventId === incoming.eventId) return suppress('duplicate', 'event already processed', memory);
  if (memory.lastEventAt !== undefined && incoming.occurredAt < memory.lastEventAt) {
    return suppress('duplicate', 'older than the last event applied', memory);
  }

  const isChange = memory.state === undefined ? anomaly.state === 'firing' : memory.state !== anomaly.state;
  const at = stateChangedAt(anomaly);
  const changes = isChange ? recordChange(memory.changes, at, policy.flap) : recentChanges(memory.changes, at, policy.flap);
  const flap = assessFlapping(memory.flapping, changes, at, policy.flap);
  const next: SeriesMemory = {
    ...memory,
    state: anomaly.state,
    lastEventId: incoming.eventId,
    lastEventAt: incoming.occurredAt,
    changes,
    flapping: flap === 'started' || flap === 'flapping',
  };

  switch (flap) {
    case 'started':
      return announce('flapping', false, maxSeverity(anomaly.severity, memory.lastNotice?.severity), anomaly, next, now, policy);
    case 'flapping':
      return suppress('flapping', `${changes.length} state changes within the flap window`, next);
    case 'ended':
      return flapEnd(anomaly.state, anomaly, next, now, policy);
    case 'stable': {
      const kind = dedup(memory.lastNotice, anomaly, now, policy.repeatIntervalMs);
      if (kind === 'duplicate') return suppress('duplicate', 'nothing new within the repeat interval', next);
      return announce(kind, false, anomaly.severity, anomaly, next, now, policy);
    }
  }
}

/**
 * The periodic check of a flapping series: once it has gone a whole flap window without a
 * state change it is stable again, and its current state is announced once. Undefined when
 * nothing changes. `now` is the notifier's clock, compared with event-time changes: live,
 * the window is measured from when the change happened in the data; after a backfill, a
 * series that flapped in old history is settled at the next sweep.
 */
export function decideOnTick(memory: SeriesMemory, anomaly: Anomaly, now: number, policy: NotificationPolicy): Decision | undefined {
  if (!memory.flapping) return undefined;
  const changes = recentChanges(memory.changes, now, policy.flap);
  if (assessFlapping(true, changes, now, policy.flap) !== 'ended') return undefined;
  return flapEnd(memory.state, anomaly, { ...memory, changes, flapping: false }, now, policy);
}
