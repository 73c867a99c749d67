import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { approximate, canonicalAmount, seriesKey, type Anomaly, type DailyTotal, type DayClosed } from '@costwatch/contracts';
import { MS, evaluate, type Judgement } from '@costwatch/detection';
import { ROOT_LOGGER } from '@costwatch/observability';
import { anomalyEventIdOf, anomalyIdOf, seriesIdOf } from '../domain/anomaly-ids';
import { RuleBook, windowOf } from '../domain/detection-rules';
import { dailyRule } from '../domain/daily-rule';
import { INTERMITTENT_BELOW, ewmaOf, hourlyRule, judgeValue, type JudgedBaseline } from '../domain/judge-value';
import { advanceLifecycle, judgedHourOf, type Contributor, type JudgedHour, type LifecycleStep, type OpenAnomaly } from '../domain/series-lifecycle';
import { DetectorMetrics } from './detector-metrics';
import { toAnomaly } from './judge-snapshots.use-case';
import {
  ANOMALY_EVENTS,
  ANOMALY_STORE,
  BASELINE_SOURCE,
  DAILY_SETTINGS,
  RULE_BOOK,
  SERIES_STATE_STORE,
  type AnomalyEventsPort,
  type AnomalyNotice,
  type AnomalyRecord,
  type AnomalyStore,
  type BaselineSource,
  type DailySettings,
  type SeriesState,
  type SeriesStateStore,
} from './ports';

export interface IncomingDailyTotal {
  total: DailyTotal;
  correlationId?: string;
}

const decimalOf = (value: number): string => (Number.isFinite(value) ? canonicalAmount(value.toFixed(12)) : '0');
const dayMsOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const GAP_RULE = 'collection-gap';
/** A collection gap has no currency: ISO 4217's code for "no currency". */
const NO_CURRENCY = 'XXX';

/** State ids: a series' daily judgements and a domain's collection gap live beside its hourly state. */
export const dailyStateId = (seriesId: string): string => `daily|${seriesId}`;
export const gapStateId = (domainId: string): string => `gap|${domainId}`;

/**
 * Judges each series' daily total, published when its day closes, against the daily
 * baseline as of that day (the days before it, day-of-week aware), whatever granularity the
 * source has — a daily-only bill is judged here and nowhere else.
 *
 * - A total of 0 (a series seen recently with no record that day) is judged like any other:
 *   an always-on series that vanishes is a drop; an intermittent one is normal when off.
 * - A domain that sent nothing at all for a day (`billing.day-closed.v1` lists it as silent)
 *   raises one collection-gap anomaly instead of a drop per series; a total with records for
 *   that domain and one of the missing days (the late data arrived) resolves it.
 * - Idempotent: a total whose revision is not newer than the judged one is ignored, so a
 *   replay publishes nothing new; a restated day (newer revision) is judged again.
 */
@Injectable()
export class JudgeDailyTotalsUseCase {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(BASELINE_SOURCE) private readonly baselines: BaselineSource,
    @Inject(SERIES_STATE_STORE) private readonly store: SeriesStateStore,
    @Inject(ANOMALY_STORE) private readonly anomalies: AnomalyStore,
    @Inject(ANOMALY_EVENTS) private readonly events: AnomalyEventsPort,
    @Inject(RULE_BOOK) private readonly rules: RuleBook,
    @Inject(DAILY_SETTINGS) private readonly settings: DailySettings,
    private readonly metrics: DetectorMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  execute(items: readonly IncomingDailyTotal[]): Promise<void> {
    return this.exclusive(() => this.judgeTotals(items));
  }

  dayClosed(day: DayClosed): Promise<void> {
    return this.exclusive(() => this.judgeGaps(day));
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async judgeTotals(items: readonly IncomingDailyTotal[]): Promise<void> {
    if (!this.settings.enabled || items.length === 0) return;
    const ids = new Set<string>();
    for (const { total } of items) {
      ids.add(dailyStateId(seriesIdOf(total)));
      if (total.recordCount > 0) ids.add(gapStateId(total.domainId));
    }
    const states = await this.store.load([...ids]);
    const stateOf = (id: string): SeriesState => {
      let state = states.get(id);
      if (!state) {
        state = { _id: id, judged: {}, latestHourMs: null, pending: [], open: null };
        states.set(id, state);
      }
      return state;
    };
    const records: AnomalyRecord[] = [];
    const notices: AnomalyNotice[] = [];
    const changed = new Set<SeriesState>();
    for (const item of items) {
      const { total } = item;
      const seriesId = seriesIdOf(total);
      const state = stateOf(dailyStateId(seriesId));
      if ((state.judged[total.date] ?? -1) >= total.revision) {
        this.metrics.daysJudged.inc({ verdict: 'stale' });
        continue;
      }
      const judged = await this.judgeOne(seriesId, total, state);
      const members = judged.anomalous && total.children ? await this.membersOf(total, judged) : undefined;
      // A roll-up that moved because its batch jobs ran as they do when they run is not news.
      const judgement = members && members.routineShare >= 0.5 ? { ...judged, anomalous: false, verdict: 'normal' as const, severity: null } : judged;
      const contributors = judgement.anomalous ? members?.contributors : undefined;
      this.metrics.daysJudged.inc({ verdict: judgement.verdict });
      state.judged[total.date] = total.revision;
      for (const key of Object.keys(state.judged)) if (key < isoDate(dayMsOf(total.date) - this.settings.horizonDays * MS.day)) delete state.judged[key];
      changed.add(state);
      const rule = this.rules.ruleFor(seriesId, total);
      this.advance(state, seriesId, rule.name, judgement, total, item.correlationId, records, notices, contributors);
      const gap = states.get(gapStateId(total.domainId));
      if (gap?.open && total.recordCount > 0 && dayMsOf(total.date) >= gap.open.windowStartMs && dayMsOf(total.date) <= gap.open.lastAnomalousHourMs) {
        this.resolveGap(gap, total.domainId, notices, records);
        changed.add(gap);
      }
    }
    await this.flush(records, notices, [...changed]);
  }

  private async judgeOne(seriesId: string, total: DailyTotal, state: SeriesState): Promise<Judgement> {
    const rule = dailyRule(this.rules.ruleFor(seriesId, total), this.settings);
    const dayMs = dayMsOf(total.date);
    const baseline = await this.baselines.daily(total.date, seriesId);
    const value = approximate(total.amount);
    const withDrop = baseline !== null && alwaysOn(baseline, this.settings) ? { ...rule, dropToZeroMinExpected: this.settings.dropMin } : rule;
    const ewma = ewmaOf(state, rule, value);
    const judgement = judgeValue(dayMs, value, baseline, withDrop, dayMs, 'full', ewma.z);
    // Learned once per day, in order: a restated day is judged again, not learned again.
    if (state.judged[total.date] === undefined && Object.keys(state.judged).every((date) => date < total.date)) ewma.learn();
    if (judgement.anomalous && (await this.hoursShowedIt(seriesId, total))) return { ...judgement, anomalous: false, verdict: 'normal', severity: null };
    return judgement;
  }

  /**
   * A roll-up's members ranked by their share of its delta (observed − expected), each
   * member's expected cost taken from its own daily baseline over the whole window (as the
   * roll-up's is, so shares add up to about 1): the top five that moved the same way as the
   * roll-up. `routineShare` is the part of the delta from intermittent members whose cost is
   * normal for them while they run (a batch job that ran today, as it does on some days).
   */
  private async membersOf(total: DailyTotal, judgement: Judgement): Promise<{ contributors: Contributor[]; routineShare: number }> {
    const parentDelta = judgement.observed - judgement.expected;
    if (!total.children || parentDelta === 0 || !Number.isFinite(parentDelta)) return { contributors: [], routineShare: 0 };
    const dayMs = dayMsOf(total.date);
    const dimension = total.projectId === '*' ? 'project' : 'service';
    const ranked = await Promise.all(
      total.children.map(async (child) => {
        const childId = seriesIdOf({ domainId: total.domainId, projectId: child.projectId, serviceId: child.serviceId, currency: total.currency });
        const baseline = await this.baselines.daily(total.date, childId);
        const rule = dailyRule(this.rules.ruleFor(childId, { ...total, ...child }), this.settings);
        const observed = approximate(child.amount);
        // A member younger than the roll-up's window cost nothing before it existed: its part of
        // the roll-up's expected cost is diluted accordingly (a new service is the change).
        const dilution = baseline && judgement.baselineCount > 0 ? Math.min(1, baseline.stats.count / judgement.baselineCount) : 1;
        const expected = baseline ? evaluate({ timestampMs: dayMs, value: observed }, baseline.stats, rule).expected * dilution : 0;
        const routine = baseline !== null && baseline.activeFraction < INTERMITTENT_BELOW && observed !== 0 && !judgeValue(dayMs, observed, baseline, rule, dayMs).anomalous;
        return { contributor: { dimension, value: dimension === 'project' ? child.projectId : child.serviceId, observed: child.amount, expected: decimalOf(expected), share: (observed - expected) / parentDelta } as const, routine };
      }),
    );
    const contributors = ranked
      .map((r) => r.contributor)
      .filter((c) => c.share > 0)
      .sort((a, b) => b.share - a.share || a.value.localeCompare(b.value))
      .slice(0, 5)
      .map((c) => ({ ...c, share: Math.round(c.share * 1000) / 1000 }));
    return { contributors, routineShare: ranked.reduce((sum, r) => sum + (r.routine ? Math.max(0, r.contributor.share) : 0), 0) };
  }

  /**
   * True when one of the day's hours is itself anomalous under the series' hourly rule: the
   * hourly judgement has already raised it, and a daily anomaly would say it a second time.
   * The daily total of an hourly series speaks for what no single hour shows (a slow rise, a
   * small change in every hour). Decided from the data alone, so replay ≡ live.
   */
  private async hoursShowedIt(seriesId: string, total: DailyTotal): Promise<boolean> {
    if (!total.hours || total.children) return false;
    const lookup = await this.baselines.lookup(total.date, seriesId);
    const rule = this.rules.ruleFor(seriesId, total);
    const dayMs = dayMsOf(total.date);
    const hourly = lookup.status === 'found' ? lookup.baseline : null;
    return total.hours.some((amount, hour) => amount !== null && judgeValue(dayMs + hour * MS.hour, approximate(amount), hourly, hourlyRule(rule, hourly), dayMs, windowOf(rule)).anomalous);
  }

  private advance(state: SeriesState, seriesId: string, ruleName: string, judgement: Judgement, total: DailyTotal, correlationId: string | undefined, records: AnomalyRecord[], notices: AnomalyNotice[], contributors?: Contributor[]): void {
    const day = judgedHourOf(judgement.timestampMs, total.amount, judgement, contributors);
    const step = restatedAway(state.open, day) ?? advanceLifecycle(state.open, day, { resolveAfterHours: this.settings.resolveAfterDays, updateGrowth: this.settings.updateGrowth }, (_, startMs) => anomalyIdOf(dailyStateId(seriesId), ruleName, startMs));
    state.open = step.open;
    state.latestHourMs = Math.max(state.latestHourMs ?? 0, judgement.timestampMs);
    if (step.changed) records.push(recordOf(dailyStateId(seriesId), ruleName, step.changed, toAnomaly(step.changed, step.notice?.state ?? 'firing', total, 'daily')));
    if (step.notice) {
      const anomaly = toAnomaly(step.notice.anomaly, step.notice.state, total, 'daily');
      notices.push({ eventId: anomalyEventIdOf(anomaly.anomalyId, anomaly.state, step.notice.anomaly.version), key: seriesKey(total), anomaly, ...(correlationId ? { correlationId } : {}) });
      if (step.notice.reason === 'opened') {
        this.metrics.detections.inc({ rule: ruleName, severity: anomaly.severity });
        this.metrics.detectionsByService.inc({ billing_service: anomaly.series.serviceId, severity: anomaly.severity });
      }
    }
  }

  /**
   * Opens a collection gap for every silent domain, or extends its open one. A gap stays open
   * until the missing data arrives (a domain reporting again the next day does not bring the
   * missing day back); silence it if that day is lost for good.
   */
  private async judgeGaps(day: DayClosed): Promise<void> {
    if (!this.settings.enabled) return;
    const silent = new Map(day.silentDomains.map((d) => [d.domainId, d.series]));
    const states = await this.store.load([...silent.keys()].map(gapStateId));
    const records: AnomalyRecord[] = [];
    const notices: AnomalyNotice[] = [];
    const changed: SeriesState[] = [];
    const dayMs = dayMsOf(day.date);
    for (const [domainId, series] of silent) {
      const state = states.get(gapStateId(domainId)) ?? { _id: gapStateId(domainId), judged: {}, latestHourMs: null, pending: [], open: null };
      if (state.judged[day.date] !== undefined) continue;
      state.judged[day.date] = 1;
      const previous = state.open;
      if (previous === null) {
        const anomalyId = anomalyIdOf(gapStateId(domainId), GAP_RULE, dayMs);
        state.open = {
          anomalyId,
          rule: `${GAP_RULE}: no record for ${series} series`,
          windowStartMs: dayMs,
          lastAnomalousHourMs: dayMs,
          severity: 'warning',
          peak: { hourMs: dayMs, observed: '0', observedValue: 0, expected: 0, z: Number.NaN, ratio: Number.NaN, baseline: { fromMs: dayMs, toMs: dayMs, count: series } },
          publishedSeverity: 'warning',
          publishedPeakValue: 0,
          version: 1,
          normalHours: 0,
          lastCountedHourMs: dayMs,
        };
        const anomaly = gapAnomaly(state.open, domainId, 'firing');
        notices.push({ eventId: anomalyEventIdOf(anomalyId, 'firing', 1), key: `${domainId}|*|*`, anomaly });
        records.push(recordOf(gapStateId(domainId), GAP_RULE, state.open, anomaly));
        this.metrics.detections.inc({ rule: GAP_RULE, severity: 'warning' });
      } else if (dayMs > previous.lastAnomalousHourMs) {
        state.open = { ...previous, lastAnomalousHourMs: dayMs };
        records.push(recordOf(gapStateId(domainId), GAP_RULE, state.open, gapAnomaly(state.open, domainId, 'firing')));
      }
      changed.push(state);
    }
    await this.flush(records, notices, changed);
  }

  private resolveGap(state: SeriesState, domainId: string, notices: AnomalyNotice[], records: AnomalyRecord[]): void {
    if (!state.open) return;
    const resolved: OpenAnomaly = { ...state.open, version: state.open.version + 1 };
    const anomaly = gapAnomaly(resolved, domainId, 'resolved');
    notices.push({ eventId: anomalyEventIdOf(resolved.anomalyId, 'resolved', resolved.version), key: `${domainId}|*|*`, anomaly });
    records.push(recordOf(gapStateId(domainId), GAP_RULE, resolved, anomaly));
    state.open = null;
  }

  private async flush(records: AnomalyRecord[], notices: AnomalyNotice[], changed: SeriesState[]): Promise<void> {
    await this.anomalies.save(records);
    await this.events.publish(notices);
    await this.store.save(changed);
    for (const notice of notices) {
      const { anomaly } = notice;
      this.logger.info({ anomalyId: anomaly.anomalyId, state: anomaly.state, series: notice.key, granularity: 'daily', kind: anomaly.kind, window: anomaly.window, rule: anomaly.rule }, anomaly.state === 'firing' ? 'anomaly firing' : 'anomaly resolved');
    }
  }
}

/**
 * Late data re-judges a day: when the only anomalous day of the open anomaly is restated to
 * a normal total, the anomaly was never real and resolves now.
 */
function restatedAway(open: OpenAnomaly | null, day: JudgedHour): LifecycleStep | undefined {
  if (day.anomalous || open === null || open.windowStartMs !== day.hourMs || open.lastAnomalousHourMs !== day.hourMs) return undefined;
  const resolved: OpenAnomaly = { ...open, version: open.version + 1 };
  return { open: null, notice: { state: 'resolved', reason: 'resolved', anomaly: resolved }, changed: resolved };
}

/** An always-on series (a cost on nearly every day of enough history) that costs nothing is a drop, whatever the expression. */
function alwaysOn(baseline: JudgedBaseline, settings: DailySettings): boolean {
  return baseline.activeFraction >= INTERMITTENT_BELOW && baseline.stats.count >= settings.minHistoryDays;
}

function recordOf(seriesId: string, ruleName: string, open: OpenAnomaly, anomaly: Anomaly): AnomalyRecord {
  return { anomaly, version: open.version, seriesId, ruleName, peakHour: new Date(open.peak.hourMs).toISOString() };
}

function gapAnomaly(open: OpenAnomaly, domainId: string, state: 'firing' | 'resolved'): Anomaly {
  return {
    anomalyId: open.anomalyId,
    state,
    series: { domainId, projectId: '*', serviceId: '*', serviceName: 'collection gap', currency: NO_CURRENCY },
    window: { start: new Date(open.windowStartMs).toISOString(), end: new Date(open.lastAnomalousHourMs + MS.day).toISOString() },
    observed: '0',
    expected: '0',
    z: null,
    ratio: null,
    rule: open.rule,
    severity: open.severity,
    baselineWindow: { from: isoDate(open.windowStartMs), to: isoDate(open.lastAnomalousHourMs + MS.day), count: open.peak.baseline.count },
    contributors: [],
    granularity: 'daily',
    kind: 'collection-gap',
  };
}
