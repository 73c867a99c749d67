import type { Anomaly, HourlySnapshot } from '@costwatch/contracts';
import type { EwmaState } from '@costwatch/detection';
import type { JudgedBaseline } from '../domain/judge-value';
import type { OpenAnomaly } from '../domain/series-lifecycle';

export type { JudgedBaseline };

/**
 * The baseline of a series as of a date: `found`; `none` — there is no history and there
 * will be none (the previous day, or a later one, is closed); `not-yet` — no day from the
 * previous one on is known closed, so the baseline may still be written and the hour waits.
 */
export type BaselineLookup = { status: 'found'; baseline: JudgedBaseline } | { status: 'none' } | { status: 'not-yet' };


export interface BaselineSource {
  lookup(asOf: string, seriesId: string): Promise<BaselineLookup>;
  /** The daily-total baseline as of `asOf`; null when the series has no daily history. */
  daily(asOf: string, seriesId: string): Promise<JudgedBaseline | null>;
}

/**
 * The days the detector knows are closed, learned from billing.day-closed.v1 and kept in
 * its own collection. Days close in order, so once a day is closed every earlier day with
 * data is too: a day is final when it or any later day is closed.
 */
export interface ClosedDays {
  markClosed(date: string): Promise<void>;
  /** Whether `date` can no longer change its baselines (it, or a later day, is closed). */
  isFinal(date: string): Promise<boolean>;
}

/** A snapshot the detector accepted but could not judge yet (its baseline is not written). */
export interface PendingSnapshot {
  snapshot: HourlySnapshot;
  occurredAtMs: number;
  correlationId?: string;
}

/** The detector's memory of one series: what it judged, what waits, and the open anomaly. */
export interface SeriesState {
  _id: string;
  /** Judged revision per hour (`YYYY-MM-DDTHH`), kept for the restatement horizon. */
  judged: Record<string, number>;
  /** Start of the latest judged hour, or null before the first judgement. */
  latestHourMs: number | null;
  pending: PendingSnapshot[];
  open: OpenAnomaly | null;
  /** The open rolling 24-hour anomaly (hourly series). */
  rolling?: OpenAnomaly | null;
  /** Start of the latest hour judged anomalous on its own, or a recurring charge: the 24 hours after it are explained by it, not a rolling anomaly. */
  lastAnomalousHourMs?: number | null;
  /** The series' EWMA, kept only when its rule tests `ewmaZ`. */
  ewma?: EwmaState | null;
}

export interface SeriesStateStore {
  load(ids: readonly string[]): Promise<Map<string, SeriesState>>;
  /** Every series with snapshots waiting (at startup and after a rebalance). */
  loadPending(): Promise<SeriesState[]>;
  save(states: readonly SeriesState[]): Promise<void>;
}

/** billing_anomalies: the anomaly as last published, plus bookkeeping. */
export interface AnomalyRecord {
  anomaly: Anomaly;
  version: number;
  seriesId: string;
  ruleName: string;
  peakHour: string;
}

export interface AnomalyStore {
  save(records: readonly AnomalyRecord[]): Promise<void>;
}

export interface AnomalyNotice {
  eventId: string;
  key: string;
  anomaly: Anomaly;
  correlationId?: string;
}

export interface AnomalyEventsPort {
  publish(notices: readonly AnomalyNotice[]): Promise<void>;
}

export const BASELINE_SOURCE = Symbol('BASELINE_SOURCE');
export const CLOSED_DAYS = Symbol('CLOSED_DAYS');
export const SERIES_STATE_STORE = Symbol('SERIES_STATE_STORE');
export const ANOMALY_STORE = Symbol('ANOMALY_STORE');
export const ANOMALY_EVENTS = Symbol('ANOMALY_EVENTS');
export const DETECTOR_SETTINGS = Symbol('DETECTOR_SETTINGS');
export const RULE_BOOK = Symbol('RULE_BOOK');
export const DAILY_SETTINGS = Symbol('DAILY_SETTINGS');

/** How daily totals are judged (see JudgeDailyTotalsUseCase). */
export interface DailySettings {
  enabled: boolean;
  /** Days of baseline history before the expression (or a drop) may fire. */
  minHistoryDays: number;
  /** An always-on series expected to cost at least this per day that costs nothing is a drop. */
  dropMin: number;
  /** Consecutive normal days that resolve a daily anomaly. */
  resolveAfterDays: number;
  updateGrowth: number;
  /** Judged revisions are remembered this many days. */
  horizonDays: number;
  /** Relative impact floor of a daily anomaly: |observed − expected| / expected must reach it (0 = off). */
  minRelDelta: number;
}

export interface DetectorSettings {
  /** Judge the trailing 24 hours of every hour (see JudgeSnapshotsUseCase). */
  rolling: boolean;
  resolveAfterHours: number;
  updateGrowth: number;
  restatementHorizonDays: number;
}
