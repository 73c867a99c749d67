import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { approximate, canonicalAmount, seriesKey, type Anomaly, type HourlySnapshot } from '@costwatch/contracts';
import { MS, type CompiledRule } from '@costwatch/detection';
import { ROOT_LOGGER } from '@costwatch/observability';
import { anomalyEventIdOf, anomalyIdOf, seriesIdOf } from '../domain/anomaly-ids';
import { dailyRule } from '../domain/daily-rule';
import { RuleBook, windowOf } from '../domain/detection-rules';
import { ewmaOf, hourlyRule, judgeValue, trailingBaseline, type JudgedBaseline } from '../domain/judge-value';
import { advanceLifecycle, anomalyWindow, judgedHourOf, type OpenAnomaly } from '../domain/series-lifecycle';
import { DetectorMetrics } from './detector-metrics';
import {
  ANOMALY_EVENTS,
  ANOMALY_STORE,
  BASELINE_SOURCE,
  DAILY_SETTINGS,
  DETECTOR_SETTINGS,
  RULE_BOOK,
  SERIES_STATE_STORE,
  type AnomalyEventsPort,
  type AnomalyNotice,
  type AnomalyRecord,
  type AnomalyStore,
  type BaselineLookup,
  type BaselineSource,
  type DailySettings,
  type DetectorSettings,
  type PendingSnapshot,
  type SeriesState,
  type SeriesStateStore,
} from './ports';

/** A snapshot event as received: `occurredAtMs` feeds the detection-lag histogram. */
export type IncomingSnapshot = PendingSnapshot;

/** The roll-up series (project, then domain) a series belongs to. */
export function parentsOf(seriesId: string): string[] {
  const [domainId = '', projectId = '', , currency = ''] = seriesId.split('|');
  return [`${domainId}|${projectId}|*|${currency}`, `${domainId}|*|*|${currency}`];
}

/** Normal trailing windows in a row that resolve a rolling anomaly (see judgeTrailing). */
const ROLLING_RESOLVE_AFTER_HOURS = 23;

const hourKeyOf = (s: Pick<HourlySnapshot, 'date' | 'hour'>): string => `${s.date}T${String(s.hour).padStart(2, '0')}`;
const hourStartOf = (s: Pick<HourlySnapshot, 'date' | 'hour'>): number => Date.parse(`${s.date}T00:00:00Z`) + s.hour * MS.hour;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);
const decimalOf = (value: number): string => (Number.isFinite(value) ? canonicalAmount(value.toFixed(12)) : '0');


/**
 * Judges hourly snapshots against the baseline as of the snapshot's date (built from data
 * strictly before it) and drives each series' anomaly lifecycle.
 *
 * - Idempotent: a snapshot whose revision is not newer than the judged (or waiting) one for
 *   its hour is ignored, so replaying snapshots changes nothing and publishes nothing.
 * - A restated hour (higher revision) is judged again.
 * - An hour whose baseline is not written yet (the previous day has data but is not closed)
 *   waits in the series state, persisted, and is judged when the baseline appears: judging it
 *   as "no history" instead would depend on timing, and replay would differ from live.
 * - Writes the anomaly documents, then publishes the notices, then saves the series states:
 *   a crash in between re-judges the same hours on redelivery, with the same ids.
 */
@Injectable()
export class JudgeSnapshotsUseCase {
  private readonly states = new Map<string, SeriesState>();
  private readonly waiting = new Set<string>();
  /** Series whose stored state lists waiting hours (so it must be saved once they are judged). */
  private readonly storedWaiting = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private reloadPending = true;
  private openCount = 0;

  constructor(
    @Inject(BASELINE_SOURCE) private readonly baselines: BaselineSource,
    @Inject(SERIES_STATE_STORE) private readonly store: SeriesStateStore,
    @Inject(ANOMALY_STORE) private readonly anomalies: AnomalyStore,
    @Inject(ANOMALY_EVENTS) private readonly events: AnomalyEventsPort,
    @Inject(RULE_BOOK) private readonly rules: RuleBook,
    @Inject(DETECTOR_SETTINGS) private readonly settings: DetectorSettings,
    @Inject(DAILY_SETTINGS) private readonly daily: DailySettings,
    private readonly metrics: DetectorMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Accepts a batch of snapshots and judges every hour whose baseline is decidable. */
  execute(items: readonly IncomingSnapshot[]): Promise<void> {
    return this.exclusive(() => this.accept(items));
  }

  /** Judges waiting hours whose baseline has appeared since (called on a timer). */
  recheckPending(): Promise<void> {
    return this.exclusive(() => this.judge([...this.waiting], new Set()));
  }

  get pendingSeries(): number {
    return this.waiting.size;
  }

  /** Partition ownership may have changed: forget cached state, reload what waits. */
  reset(): void {
    this.forget();
  }

  private forget(): void {
    this.states.clear();
    this.waiting.clear();
    this.storedWaiting.clear();
    this.openCount = 0;
    this.metrics.anomaliesOpen.set(0);
    this.reloadPending = true;
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      try {
        if (this.reloadPending) await this.loadPending();
        await work();
      } catch (error) {
        // After a failed write the cache may be ahead of the database: start over from it.
        this.forget();
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadPending(): Promise<void> {
    for (const state of await this.store.loadPending()) this.remember(state);
    this.reloadPending = false;
  }

  private remember(state: SeriesState): void {
    const previous = this.states.get(state._id);
    if (previous?.open) this.openCount -= 1;
    if (state.open) this.openCount += 1;
    this.states.set(state._id, state);
    if (state.pending.length > 0) {
      this.waiting.add(state._id);
      this.storedWaiting.add(state._id);
    }
    this.metrics.anomaliesOpen.set(this.openCount);
  }

  private async accept(items: readonly IncomingSnapshot[]): Promise<void> {
    const ids = [...new Set(items.map(({ snapshot }) => seriesIdOf(snapshot)))];
    const missing = ids.filter((id) => !this.states.has(id));
    if (missing.length > 0) {
      const loaded = await this.store.load(missing);
      for (const id of missing) this.remember(loaded.get(id) ?? { _id: id, judged: {}, latestHourMs: null, pending: [], open: null });
    }
    const touched = new Set<string>();
    for (const item of items) {
      const id = seriesIdOf(item.snapshot);
      const state = this.states.get(id);
      if (!state || !this.take(state, item)) {
        this.metrics.snapshotsJudged.inc({ verdict: 'stale' });
        continue;
      }
      touched.add(id);
    }
    await this.judge([...touched], touched);
  }

  /** Queues the snapshot on its series; false when it is stale (an older or equal revision, or beyond the horizon). */
  private take(state: SeriesState, item: PendingSnapshot): boolean {
    const { snapshot } = item;
    const key = hourKeyOf(snapshot);
    if ((state.judged[key] ?? -1) >= snapshot.revision) return false;
    const horizonMs = this.settings.restatementHorizonDays * MS.day;
    if (state.latestHourMs !== null && hourStartOf(snapshot) < state.latestHourMs - horizonMs) return false;
    const index = state.pending.findIndex((p) => hourKeyOf(p.snapshot) === key);
    if (index >= 0) {
      if ((state.pending[index]?.snapshot.revision ?? -1) >= snapshot.revision) return false;
      state.pending.splice(index, 1);
    }
    state.pending.push(item);
    return true;
  }

  /**
   * Judges the waiting hours of `ids`. A series' state is saved only when it matters after a
   * restart: its open anomaly changed, hours still wait, or the stored state lists waiting
   * hours that are now judged. A normal hour of a quiet series changes nothing a restart
   * needs — redelivered, it is judged again against the same baseline with the same verdict
   * — so the steady state costs no write per snapshot. `dirty` series took new snapshots.
   */
  private async judge(ids: readonly string[], dirty: ReadonlySet<string>): Promise<void> {
    if (ids.length === 0) return;
    const { lookups, daily } = await this.lookupBaselines(ids);
    const records: AnomalyRecord[] = [];
    const notices: AnomalyNotice[] = [];
    const changed: SeriesState[] = [];
    const now = Date.now();
    for (const id of ids) {
      const state = this.states.get(id);
      if (!state || state.pending.length === 0) continue;
      const hadOpen = state.open !== null;
      const before = state.pending.length;
      let lifecycleMoved = false;
      state.pending.sort((a, b) => hourStartOf(a.snapshot) - hourStartOf(b.snapshot));
      const remaining: PendingSnapshot[] = [];
      for (const item of state.pending) {
        const lookup = remaining.length > 0 ? undefined : lookups.get(`${item.snapshot.date}|${id}`);
        // Days close in order: once one hour waits, every later hour of the series waits too.
        if (lookup === undefined || lookup.status === 'not-yet') {
          remaining.push(item);
          continue;
        }
        const { open, rolling, lastAnomalousHourMs } = state;
        const ewma = state.ewma?.count;
        this.judgeOne(id, state, item, lookup, lookups.has(`known|${item.snapshot.date}|${id}`), records, notices);
        if (lookup.status === 'found') this.judgeTrailing(id, state, item, lookup.baseline, daily.get(`${item.snapshot.date}|${id}`) ?? null, records, notices);
        // A learned EWMA is state a restart needs (redelivered hours are not learned twice).
        if (state.open !== open || state.rolling !== rolling || state.lastAnomalousHourMs !== lastAnomalousHourMs || state.ewma?.count !== ewma) lifecycleMoved = true;
        this.metrics.detectionLag.observe(Math.max(0, now - item.occurredAtMs) / 1000);
      }
      state.pending = remaining;
      if (remaining.length > 0) this.waiting.add(id);
      else this.waiting.delete(id);
      if (hadOpen !== (state.open !== null)) this.openCount += state.open ? 1 : -1;
      const waitingChanged = remaining.length !== before || dirty.has(id);
      if (lifecycleMoved || (waitingChanged && (remaining.length > 0 || this.storedWaiting.has(id)))) changed.push(state);
    }
    this.metrics.anomaliesOpen.set(this.openCount);
    this.metrics.pendingSnapshots.set([...this.waiting].reduce((n, id) => n + (this.states.get(id)?.pending.length ?? 0), 0));
    await this.anomalies.save(records);
    await this.events.publish(notices);
    await this.store.save(changed);
    for (const state of changed) {
      if (state.pending.length > 0) this.storedWaiting.add(state._id);
      else this.storedWaiting.delete(state._id);
    }
    for (const notice of notices) {
      this.logger.info(
        { anomalyId: notice.anomaly.anomalyId, state: notice.anomaly.state, series: notice.key, severity: notice.anomaly.severity, window: notice.anomaly.window, rule: notice.anomaly.rule },
        notice.anomaly.state === 'firing' ? 'anomaly firing' : 'anomaly resolved',
      );
    }
  }

  /**
   * One lookup per distinct (date, series) among the waiting hours. For a series without
   * history, also whether its project or domain has one (`known|…`): a new series there is
   * news (first-seen), while every series of a history's first collection is not.
   */
  private async lookupBaselines(ids: readonly string[]): Promise<{ lookups: Map<string, BaselineLookup>; daily: Map<string, JudgedBaseline | null> }> {
    const wanted = new Map<string, { date: string; id: string }>();
    for (const id of ids) for (const { snapshot } of this.states.get(id)?.pending ?? []) wanted.set(`${snapshot.date}|${id}`, { date: snapshot.date, id });
    const entries = await Promise.all([...wanted].map(async ([key, { date, id }]) => [key, await this.baselines.lookup(date, id)] as const));
    const lookups = new Map<string, BaselineLookup>(entries);
    await Promise.all(
      [...wanted].map(async ([key, { date, id }]) => {
        if (lookups.get(key)?.status !== 'none') return;
        for (const parent of parentsOf(id)) {
          if ((await this.baselines.lookup(date, parent)).status === 'found') {
            lookups.set(`known|${key}`, { status: 'none' });
            return;
          }
        }
      }),
    );
    // The daily-total baseline for the rolling judgement: the same document, so no second read.
    const daily = new Map<string, JudgedBaseline | null>();
    if (this.settings.rolling) {
      await Promise.all([...wanted].map(async ([key, { date, id }]) => (lookups.get(key)?.status === 'found' ? daily.set(key, await this.baselines.daily(date, id)) : undefined)));
    }
    return { lookups, daily };
  }

  /**
   * The rolling 24-hour judgement: the cost of the 24 hours ending with this one against the
   * series' daily totals, by the daily rule (see JudgeDailyTotalsUseCase), so a ramp that no
   * single hour shows fires before its day closes. Not at 23:00, where the window is the
   * calendar day the daily judgement takes; and not while an hour of the window was anomalous
   * on its own (that hour's anomaly already says it). Its own lifecycle, like an hourly one,
 * resolved after a day of normal windows (23, as 23:00 is not judged).
   */
  private judgeTrailing(id: string, state: SeriesState, item: PendingSnapshot, hourly: JudgedBaseline, daily: JudgedBaseline | null, records: AnomalyRecord[], notices: AnomalyNotice[]): void {
    const { snapshot } = item;
    if (!this.settings.rolling || !this.daily.enabled || snapshot.trailing24h === undefined || snapshot.hour === 23 || daily === null) return;
    const rule = dailyRule(this.rules.ruleFor(id, snapshot), this.daily);
    const hourMs = hourStartOf(snapshot);
    const expected = trailingBaseline(hourly, daily, hourMs);
    if (expected === null) return;
    const judged = judgeValue(hourMs, approximate(snapshot.trailing24h), expected, rule, Date.parse(`${snapshot.date}T00:00:00Z`));
    const hourShowedIt = state.lastAnomalousHourMs !== null && state.lastAnomalousHourMs !== undefined && hourMs - state.lastAnomalousHourMs < MS.day;
    const judgement = judged.anomalous && hourShowedIt ? { ...judged, anomalous: false, verdict: 'normal' as const, severity: null } : judged;
    this.metrics.windowsJudged.inc({ verdict: judgement.verdict });
    const window = judgedHourOf(hourMs, snapshot.trailing24h, judgement);
    // Consecutive windows share 23 of their 24 hours: one that dips under the threshold and
    // back is the same episode. It resolves after a day of normal windows.
    const step = advanceLifecycle(state.rolling ?? null, window, { ...this.settings, resolveAfterHours: Math.max(this.settings.resolveAfterHours, ROLLING_RESOLVE_AFTER_HOURS) }, (_, windowStartMs) => anomalyIdOf(id, `${rule.name}:24h`, windowStartMs));
    state.rolling = step.open;
    if (step.changed) records.push(this.recordOf(id, rule, step.changed, toAnomaly(step.changed, step.notice?.state ?? 'firing', snapshot, 'rolling-24h')));
    if (step.notice) {
      const anomaly = toAnomaly(step.notice.anomaly, step.notice.state, snapshot, 'rolling-24h');
      notices.push({ eventId: anomalyEventIdOf(anomaly.anomalyId, anomaly.state, step.notice.anomaly.version), key: seriesKey(snapshot), anomaly, ...(item.correlationId ? { correlationId: item.correlationId } : {}) });
      if (step.notice.reason === 'opened') this.metrics.detections.inc({ rule: `${rule.name}:24h`, severity: anomaly.severity });
    }
  }

  private judgeOne(id: string, state: SeriesState, item: PendingSnapshot, lookup: Exclude<BaselineLookup, { status: 'not-yet' }>, knownParent: boolean, records: AnomalyRecord[], notices: AnomalyNotice[]): void {
    const { snapshot } = item;
    const rule = this.rules.ruleFor(id, snapshot);
    const hourMs = hourStartOf(snapshot);
    const value = approximate(snapshot.amount);
    const ewma = ewmaOf(state, rule, value);
    const baseline = lookup.status === 'found' ? lookup.baseline : null;
    const judged = judgeValue(hourMs, value, baseline, hourlyRule(rule, baseline), Date.parse(`${snapshot.date}T00:00:00Z`), windowOf(rule), ewma.z);
    // Learned once per hour, in order: a restated hour is judged again, not learned again.
    if (state.judged[hourKeyOf(snapshot)] === undefined && (state.latestHourMs === null || hourMs > state.latestHourMs)) ewma.learn();
    // First-seen is news only where there was history before: the series' project or domain.
    const judgement = judged.verdict === 'first-seen' && !knownParent ? { ...judged, verdict: 'cold-start' as const, anomalous: false, severity: null } : judged;
    this.metrics.snapshotsJudged.inc({ verdict: judgement.verdict });

    state.judged[hourKeyOf(snapshot)] = snapshot.revision;
    // A recurring charge (last month's purchase again) explains its window too.
    if ((judgement.anomalous || judgement.verdict === 'recurring') && (state.lastAnomalousHourMs === null || state.lastAnomalousHourMs === undefined || hourMs > state.lastAnomalousHourMs)) state.lastAnomalousHourMs = hourMs;
    if (state.latestHourMs === null || hourMs > state.latestHourMs) {
      state.latestHourMs = hourMs;
      const oldest = hourKeyOf({ date: isoDate(hourMs - this.settings.restatementHorizonDays * MS.day), hour: 0 });
      for (const key of Object.keys(state.judged)) if (key < oldest) delete state.judged[key];
    }

    const hour = judgedHourOf(hourMs, snapshot.amount, judgement);
    const step = advanceLifecycle(state.open, hour, this.settings, (_, windowStartMs) => anomalyIdOf(id, rule.name, windowStartMs));
    state.open = step.open;
    if (step.changed) {
      const current = step.notice?.state ?? 'firing';
      records.push(this.recordOf(id, rule, step.changed, toAnomaly(step.changed, current, snapshot)));
    }
    if (step.notice) {
      const anomaly = toAnomaly(step.notice.anomaly, step.notice.state, snapshot);
      notices.push({ eventId: anomalyEventIdOf(anomaly.anomalyId, anomaly.state, step.notice.anomaly.version), key: seriesKey(snapshot), anomaly, ...(item.correlationId ? { correlationId: item.correlationId } : {}) });
      if (step.notice.reason === 'opened') {
        this.metrics.detections.inc({ rule: rule.name, severity: anomaly.severity });
        this.metrics.detectionsByService.inc({ billing_service: anomaly.series.serviceId, severity: anomaly.severity });
      }
    }
  }

  private recordOf(seriesId: string, rule: CompiledRule, open: OpenAnomaly, anomaly: Anomaly): AnomalyRecord {
    return { anomaly, version: open.version, seriesId, ruleName: rule.name, peakHour: new Date(open.peak.hourMs).toISOString() };
  }
}

/** The contract payload of an anomaly: its worst hour's (or day's) figures, the whole window, the baseline it was judged on. */
export function toAnomaly(open: OpenAnomaly, state: 'firing' | 'resolved', series: Anomaly['series'], granularity: Anomaly['granularity'] = 'hourly'): Anomaly {
  const window = anomalyWindow(open, granularity === 'daily' ? MS.day : MS.hour);
  return {
    anomalyId: open.anomalyId,
    state,
    series: { domainId: series.domainId, projectId: series.projectId, serviceId: series.serviceId, serviceName: series.serviceName, currency: series.currency },
    window: { start: new Date(window.startMs).toISOString(), end: new Date(window.endMs).toISOString() },
    observed: open.peak.observed,
    expected: decimalOf(open.peak.expected),
    z: finiteOrNull(open.peak.z),
    ratio: finiteOrNull(open.peak.ratio),
    rule: open.rule,
    severity: open.severity,
    baselineWindow: { from: isoDate(open.peak.baseline.fromMs), to: isoDate(open.peak.baseline.toMs), count: open.peak.baseline.count },
    contributors: open.peak.contributors ?? [],
    granularity,
    kind: 'cost',
  };
}
