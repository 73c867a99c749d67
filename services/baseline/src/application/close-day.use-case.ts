import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { computeBaseline } from '@costwatch/detection';
import { toScaled } from '@costwatch/contracts';
import { ROOT_LOGGER } from '@costwatch/observability';
import { addDays, seriesId } from '../domain/rollup-keys';
import { BaselinesRepository, type BaselineDocument } from '../infra/baselines.repository';
import type { DaysRepository } from '../infra/days.repository';
import { RollupsRepository, type DailyDocument } from '../infra/rollups.repository';
import { AGGREGATOR_DAYS, BASELINE_SETTINGS, BILLING_EVENTS, type BaselineSettings, type BillingEventsPort } from './billing-events.port';
import { toDailyTotal } from './daily-total';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Closes day D: publishes every series' daily total for D, then builds each series'
 * baseline "as of D+1" from the hours of the window before D+1 — the baseline the detector
 * uses for D+1, which therefore never sees D+1's own data. Idempotent: running it twice
 * writes the same baselines and republishes the same totals (same event ids).
 */
@Injectable()
export class CloseDayUseCase {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly baselines: BaselinesRepository,
    @Inject(AGGREGATOR_DAYS) private readonly days: DaysRepository,
    @Inject(BILLING_EVENTS) private readonly events: BillingEventsPort,
    @Inject(BASELINE_SETTINGS) private readonly settings: BaselineSettings,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async execute(date: string): Promise<void> {
    const started = Date.now();
    const dayDocs = await this.rollups.findDailyByDates([date]);
    await this.events.publishDailyTotals(dayDocs.map(toDailyTotal));

    const asOf = addDays(date, 1);
    const baselines = await this.buildBaselines(asOf);
    await this.baselines.write(baselines);
    await this.days.markClosed(date, new Date());
    this.logger.info({ date, series: dayDocs.length, baselines: baselines.length, ms: Date.now() - started }, 'day closed');
  }

  private async buildBaselines(asOf: string): Promise<BaselineDocument[]> {
    // One extra day before the window so last month's same day is available for the
    // month-start purchase guard.
    const windowDays = this.settings.baselineWindowDays;
    const dates = Array.from({ length: windowDays + 1 }, (_, i) => addDays(asOf, i - windowDays - 1));
    const docs = await this.rollups.findDailyByDates(dates);
    const bySeries = new Map<string, DailyDocument[]>();
    for (const doc of docs) bySeries.set(seriesId(doc), [...(bySeries.get(seriesId(doc)) ?? []), doc]);

    const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
    const windowFrom = addDays(asOf, -windowDays);
    const result: BaselineDocument[] = [];
    for (const [id, seriesDocs] of bySeries) {
      const { values, timestamps } = hourlyHistory(seriesDocs, asOfMs);
      if (values.length === 0) continue;
      const stats = computeBaseline(values, timestamps, {
        asOfMs,
        windowMs: windowDays * DAY_MS,
        previousMonth: { stepMs: HOUR_MS, horizonMs: DAY_MS },
      });
      const first = seriesDocs[0];
      if (!first || stats.count === 0) continue;
      result.push({
        _id: `${asOf}|${id}`,
        asOf,
        windowFrom,
        domainId: first.domainId,
        projectId: first.projectId,
        serviceId: first.serviceId,
        currency: first.currency,
        serviceName: first.serviceName,
        count: stats.count,
        mean: stats.mean,
        std: stats.std,
        median: stats.median,
        mad: stats.mad,
        meanAbsDev: stats.meanAbsDev,
        hourOfWeek: stats.seasonal
          ? { median: Array.from(stats.seasonal.median), mad: Array.from(stats.seasonal.mad), count: Array.from(stats.seasonal.count), pooledMad: stats.seasonal.pooledMad }
          : null,
        previousMonth: stats.previousMonth
          ? { startMs: stats.previousMonth.startMs, stepMs: stats.previousMonth.stepMs, values: Array.from(stats.previousMonth.values) }
          : null,
        computedAt: new Date().toISOString(),
      });
    }
    return result;
  }
}

/**
 * A series' hourly costs from its first recorded hour up to `asOfMs`: hours without records
 * after the series exists count as zero cost (a day with no document is a day of zeros).
 */
export function hourlyHistory(docs: readonly DailyDocument[], asOfMs: number): { values: number[]; timestamps: number[] } {
  const byDate = new Map(docs.map((d) => [d.date, d]));
  const sortedDates = [...byDate.keys()].sort();
  const firstDate = sortedDates[0];
  if (!firstDate) return { values: [], timestamps: [] };
  const firstDoc = byDate.get(firstDate);
  const firstHour = Math.max(0, firstDoc?.hourCounts.findIndex((count) => count > 0) ?? 0);
  const values: number[] = [];
  const timestamps: number[] = [];
  for (let t = Date.parse(`${firstDate}T00:00:00Z`) + firstHour * HOUR_MS; t < asOfMs; t += HOUR_MS) {
    const at = new Date(t);
    const doc = byDate.get(at.toISOString().slice(0, 10));
    const amount = doc?.hours[at.getUTCHours()] ?? '0';
    values.push(Number(toScaled(amount)) / 1e12);
    timestamps.push(t);
  }
  return { values, timestamps };
}
