import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { computeBaseline } from '@costwatch/detection';
import { ROOT_LOGGER } from '@costwatch/observability';
import { addDays, dayKey } from '../domain/rollup-keys';
import { BaselinesRepository, type BaselineDocument } from '../infra/baselines.repository';
import type { DaysRepository } from '../infra/days.repository';
import { RollupsRepository } from '../infra/rollups.repository';
import { SeriesRepository, type SeriesDocument } from '../infra/series.repository';
import { BaselineJobs, BaselineMetrics } from './baseline-metrics';
import { AGGREGATOR_DAYS, BASELINE_SETTINGS, BILLING_EVENTS, type BaselineSettings, type BillingEventsPort } from './billing-events.port';
import { toDailyTotal, toSeriesDay } from './daily-total';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Closes day D: adds D to every series' history in billing_series (from the day documents),
 * publishes every series' daily total for D, then builds each series' baseline "as of D+1" from the hours of the window before D+1 — the baseline the detector
 * uses for D+1, which therefore never sees D+1's own data. Idempotent: running it twice
 * writes the same baselines and republishes the same totals (same event ids).
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
    await this.events.publishDailyTotals(documents.map(toDailyTotal));

    const asOf = addDays(date, 1);
    const baselines = all.flatMap((s) => {
      const baseline = this.baselineOf(s, asOf);
      return baseline ? [baseline] : [];
    });
    await this.baselines.write(baselines);
    await this.days.markClosed(date, new Date());
    this.metrics.dayClosed(date, all.length, baselines.length);
    this.logger.info({ date, series: documents.length, baselines: baselines.length, ms: Date.now() - started }, 'day closed');
  }

  private baselineOf(series: SeriesDocument, asOf: string): BaselineDocument | undefined {
    const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
    const windowDays = this.settings.baselineWindowDays;
    const { values, timestamps } = hourlyHistory(series.days, asOfMs);
    if (values.length === 0) return undefined;
    const stats = computeBaseline(values, timestamps, { asOfMs, windowMs: windowDays * DAY_MS, previousMonth: { stepMs: HOUR_MS, horizonMs: DAY_MS } });
    if (stats.count === 0) return undefined;
    return {
      _id: `${asOf}|${series._id}`,
      asOf,
      windowFrom: addDays(asOf, -windowDays),
      domainId: series.domainId,
      projectId: series.projectId,
      serviceId: series.serviceId,
      currency: series.currency,
      serviceName: series.serviceName,
      count: stats.count,
      mean: stats.mean,
      std: stats.std,
      median: stats.median,
      mad: stats.mad,
      meanAbsDev: stats.meanAbsDev,
      hourOfWeek: stats.seasonal
        ? { median: Array.from(stats.seasonal.median), mad: Array.from(stats.seasonal.mad), count: Array.from(stats.seasonal.count), pooledMad: stats.seasonal.pooledMad }
        : null,
      previousMonth: stats.previousMonth ? { startMs: stats.previousMonth.startMs, stepMs: stats.previousMonth.stepMs, values: Array.from(stats.previousMonth.values) } : null,
      computedAt: new Date().toISOString(),
    };
  }
}

/**
 * A series' hourly costs from its first recorded hour up to `asOfMs` (exclusive): hours
 * without records after the series exists count as zero cost, and so does a missing day.
 */
export function hourlyHistory(days: SeriesDocument['days'], asOfMs: number): { values: number[]; timestamps: number[] } {
  const dates = Object.keys(days)
    .filter((date) => Date.parse(`${date}T00:00:00Z`) < asOfMs)
    .sort();
  const firstDate = dates[0];
  if (!firstDate) return { values: [], timestamps: [] };
  const firstHour = Math.max(0, days[firstDate]?.hourCounts.findIndex((count) => count > 0) ?? 0);
  const values: number[] = [];
  const timestamps: number[] = [];
  for (let t = Date.parse(`${firstDate}T00:00:00Z`) + firstHour * HOUR_MS; t < asOfMs; t += HOUR_MS) {
    const at = new Date(t);
    values.push(days[at.toISOString().slice(0, 10)]?.hours[at.getUTCHours()] ?? 0);
    timestamps.push(t);
  }
  return { values, timestamps };
}
