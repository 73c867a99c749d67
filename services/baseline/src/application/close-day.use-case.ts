import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { approximate, baselineDocumentId, type BaselineDocument, type DailyTotal } from '@costwatch/contracts';
import { ROOT_LOGGER } from '@costwatch/observability';
import { addDays, dayKey, seriesId } from '../domain/rollup-keys';
import { ALL, isRollup, rollUp, type RollupSeries } from '../domain/series-rollups';
import { dailyBaseline, hourlyBaseline, hourlyHistory, recentHourlyStats, type HistoryDay } from '../domain/series-baseline';
import { BaselinesRepository } from '../infra/baselines.repository';
import type { DaysRepository } from '../infra/days.repository';
import { RollupsRepository, type DailyDocument } from '../infra/rollups.repository';
import { SeriesRepository, type SeriesDocument } from '../infra/series.repository';
import { BaselineJobs, BaselineMetrics } from './baseline-metrics';
import { AGGREGATOR_DAYS, BASELINE_SETTINGS, BILLING_EVENTS, type BaselineSettings, type BillingEventsPort } from './billing-events.port';
import { revisionOf, toDailyTotal, toSeriesDay } from './daily-total';

/** The recent window stored beside the 30-day baseline (the `extreme` preset's range). */
export const RECENT_WINDOW_DAYS = 7;

/** A series with a cost on any of this many days before D is expected in D's bill: without a record it is judged as 0. */
export const RECENT_DAYS = 7;

/**
 * Closes day D: adds D to every series' history in billing_series (from the day documents),
 * builds each series' baseline "as of D+1" from the window before D+1 (the baseline the
 * detector uses for D+1, which therefore never sees D+1's own data), then publishes every
 * series' daily total for D and `billing.day-closed.v1`, and marks D closed last.
 *
 * Missing data is data: a series with a cost in the last {@link RECENT_DAYS} days and no record
 * for D gets a total of 0. When a whole domain has no record for D (a collection failed, an
 * export is late) its series get no zero totals; the domain is listed as silent instead.
 *
 * Idempotent: a crash anywhere before the day is marked closed closes it again, writing the
 * same baselines and republishing the same events (same ids).
 */
@Injectable()
export class CloseDayUseCase {
  constructor(
    private readonly series: SeriesRepository,
    private readonly rollups: RollupsRepository,
    private readonly baselines: BaselinesRepository,
    @Inject(AGGREGATOR_DAYS) private readonly days: DaysRepository,
    @Inject(BILLING_EVENTS) private readonly events: BillingEventsPort,
    @Inject(BASELINE_SETTINGS) private readonly settings: BaselineSettings,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: BaselineMetrics,
  ) {}

  execute(date: string): Promise<void> {
    return this.metrics.jobs.track(BaselineJobs.dayClose, () => this.close(date));
  }

  private async close(date: string): Promise<void> {
    const started = Date.now();
    const known = await this.series.all();
    // The day's documents, by id, for every known series; each series keeps the day in its history.
    const documents = await this.rollups.findDaily(known.map((s) => dayKey(date, s)));
    const updates = documents.map(toSeriesDay);
    await this.series.updateDays(updates, this.settings.baselineWindowDays + 5);
    const byId = new Map(updates.map((u) => [u.seriesId, u.day]));
    const all = known.map((s) => {
      const day = byId.get(s._id);
      return day ? { ...s, days: { ...s.days, [date]: day } } : s;
    });

    const rollups = rollUp(all);
    const asOf = addDays(date, 1);
    const baselines = [...all, ...rollups].flatMap((s) => {
      const baseline = baselineOf(s, asOf, this.settings.baselineWindowDays);
      return baseline ? [baseline] : [];
    });
    await this.baselines.write(baselines);

    const judged = rollups.filter((r) => !r.redundant);
    const rollupTotals = rollupTotalsOf(judged, documents, date);
    const present = new Map<string, unknown>([...byId, ...rollupTotals.map((t) => [seriesId(t), true] as const)]);
    const absent = absentSeries([...all, ...judged], present, date);
    const reporting = new Set(documents.map((d) => d.domainId));
    const silentDomains = new Map<string, number>();
    for (const s of absent) if (!reporting.has(s.domainId)) silentDomains.set(s.domainId, (silentDomains.get(s.domainId) ?? 0) + 1);
    const zeros = absent.filter((s) => reporting.has(s.domainId)).map((s) => zeroTotal(s, date));
    await this.events.publishDailyTotals([...documents.map(toDailyTotal), ...rollupTotals, ...zeros]);
    await this.events.publishDayClosed({
      date,
      seriesCount: documents.length,
      watermark: new Date(Date.parse(`${asOf}T00:00:00Z`) + this.settings.dayCloseGraceMs).toISOString(),
      silentDomains: [...silentDomains].sort(([a], [b]) => a.localeCompare(b)).map(([domainId, series]) => ({ domainId, series })),
    });
    await this.days.markClosed(date, new Date());
    this.metrics.dayClosed(date, all.length, baselines.length);
    this.logger.info({ date, series: documents.length, absent: zeros.length, silentDomains: [...silentDomains.keys()], baselines: baselines.length, ms: Date.now() - started }, 'day closed');
  }

  /**
   * The roll-up totals a restatement of closed days changed: the projects and domains of the
   * restated documents (their series' histories already updated), each with its members'
   * newest revision, so the detector judges them again as it judges the restated series.
   */
  async restatedRollups(restated: readonly DailyDocument[]): Promise<DailyTotal[]> {
    if (restated.length === 0) return [];
    const known = await this.series.all();
    const totals: DailyTotal[] = [];
    for (const date of new Set(restated.map((d) => d.date))) {
      const touched = restated.filter((d) => d.date === date);
      const domains = new Set(touched.map((d) => `${d.domainId}|${d.currency}`));
      const projects = new Set(touched.map((d) => `${d.domainId}|${d.projectId}|${d.currency}`));
      const members = known.filter((s) => domains.has(`${s.domainId}|${s.currency}`));
      const affected = rollUp(members).filter((r) => !r.redundant && (r.projectId === ALL || projects.has(`${r.domainId}|${r.projectId}|${r.currency}`)));
      if (affected.length === 0) continue;
      const documents = await this.rollups.findDaily(members.filter((s) => !isRollup(s)).map((s) => dayKey(date, s)));
      totals.push(...rollupTotalsOf(affected, documents, date));
    }
    return totals;
  }
}

/** Each roll-up's total for `date`, its revision its members' newest (one pass over the day's documents). */
function rollupTotalsOf(rollups: readonly RollupSeries[], documents: readonly DailyDocument[], date: string): DailyTotal[] {
  const newest = new Map<string, number>();
  for (const d of documents) {
    const revision = revisionOf(d);
    for (const key of [`${d.domainId}|${ALL}|${d.currency}`, `${d.domainId}|${d.projectId}|${d.currency}`]) newest.set(key, Math.max(newest.get(key) ?? 0, revision));
  }
  return rollups.flatMap((r) => {
    const total = rollupTotal(r, date, newest.get(`${r.domainId}|${r.projectId}|${r.currency}`) ?? 0);
    return total ? [total] : [];
  });
}

function historyOf(series: SeriesDocument): Record<string, HistoryDay> {
  const days: Record<string, HistoryDay> = {};
  for (const [date, day] of Object.entries(series.days)) days[date] = { hours: day.hours, hourCounts: day.hourCounts, total: approximate(day.total) };
  return days;
}

/** The baseline as of `asOf` of one series, hourly and daily; undefined without history. */
export function baselineOf(series: SeriesDocument, asOf: string, windowDays: number): BaselineDocument | undefined {
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const days = historyOf(series);
  const hours = hourlyHistory(days, asOfMs);
  const hourly = hourlyBaseline(hours, asOfMs, windowDays);
  if (!hourly) return undefined;
  const daily = dailyBaseline(days, asOfMs, windowDays);
  const { seasonal, previousMonth, activeFraction, active, ...stats } = hourly.stored;
  return {
    _id: baselineDocumentId(asOf, series._id),
    asOf,
    windowFrom: addDays(asOf, -windowDays),
    domainId: series.domainId,
    projectId: series.projectId,
    serviceId: series.serviceId,
    currency: series.currency,
    serviceName: series.serviceName,
    ...stats,
    hourOfWeek: seasonal,
    previousMonth,
    activeFraction,
    active,
    recent: recentHourlyStats(hours, asOfMs, RECENT_WINDOW_DAYS),
    daily: daily?.stored ?? null,
    computedAt: new Date().toISOString(),
  };
}

/** Series with a cost on one of the {@link RECENT_DAYS} days before `date` and no record on it. */
export function absentSeries(series: readonly SeriesDocument[], present: ReadonlyMap<string, unknown>, date: string): SeriesDocument[] {
  const since = addDays(date, -RECENT_DAYS);
  return series.filter((s) => !present.has(s._id) && Object.entries(s.days).some(([day, value]) => day >= since && day < date && approximate(value.total) !== 0));
}

function zeroTotal(s: SeriesDocument, date: string): DailyTotal {
  return { date, domainId: s.domainId, projectId: s.projectId, serviceId: s.serviceId, serviceName: s.serviceName, currency: s.currency, amount: '0', recordCount: 0, revision: 0, ...('children' in s ? { children: childrenOf(s as RollupSeries, date) } : {}) };
}

function childrenOf(rollup: RollupSeries, date: string): NonNullable<DailyTotal['children']> {
  return [...rollup.children.values()].map((child) => ({ projectId: child.projectId, serviceId: child.serviceId, serviceName: child.serviceName, amount: child.days[date]?.total ?? '0' }));
}

/** A roll-up's total for `date` (undefined when none of its members has a record that day), with its members' newest revision. */
function rollupTotal(rollup: RollupSeries, date: string, revision: number): DailyTotal | undefined {
  const day = rollup.days[date];
  if (!day || day.recordCount === 0) return undefined;
  return {
    date,
    domainId: rollup.domainId,
    projectId: rollup.projectId,
    serviceId: rollup.serviceId,
    serviceName: rollup.serviceName,
    currency: rollup.currency,
    amount: day.total,
    recordCount: day.recordCount,
    revision,
    children: childrenOf(rollup, date),
  };
}
