import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import pLimit from 'p-limit';
import { MS, baselineDocumentId, type BaselineDocument, type StoredResolution, type StoredSeasonal, type StoredStats } from '@costwatch/contracts';
import { DAY_OF_WEEK, HOUR_OF_WEEK, type BaselineStats, type SeasonalLayout } from '@costwatch/detection';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import { CLOSED_DAYS, type BaselineLookup, type BaselineSource, type ClosedDays, type JudgedBaseline } from '../application/ports';

/** As-of dates whose baselines stay cached (live traffic needs one or two; a replay walks forward). */
const CACHED_DATES = 4;
const LOOKUP_CONCURRENCY = 16;

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * MS.day).toISOString().slice(0, 10);

function statsOf(stats: StoredStats, seasonal: StoredSeasonal | null | undefined, layout: SeasonalLayout, windowStartMs: number, asOfMs: number): BaselineStats {
  return {
    windowStartMs,
    asOfMs,
    count: stats.count,
    mean: stats.mean,
    std: stats.std,
    median: stats.median,
    mad: stats.mad,
    meanAbsDev: stats.meanAbsDev,
    // Documents written before min/max were stored: extremeZ is then NaN (never fires).
    min: stats.min ?? Number.NaN,
    max: stats.max ?? Number.NaN,
    ...(seasonal ? { seasonal: { layout, ...seasonal } } : {}),
  };
}

/** The hourly baseline of a stored document, with the statistics of its active hours when the series is intermittent. */
export function toJudgedBaseline(doc: BaselineDocument): JudgedBaseline {
  const windowStartMs = Date.parse(`${doc.windowFrom}T00:00:00Z`);
  const asOfMs = Date.parse(`${doc.asOf}T00:00:00Z`);
  const stats = { ...statsOf(doc, doc.hourOfWeek, HOUR_OF_WEEK, windowStartMs, asOfMs), ...(doc.previousMonth ? { previousMonth: doc.previousMonth } : {}) };
  return {
    stats,
    activeFraction: doc.activeFraction ?? 1,
    active: doc.active ? statsOf(doc.active, doc.active.seasonal, HOUR_OF_WEEK, windowStartMs, asOfMs) : null,
    recent: doc.recent ? statsOf(doc.recent, null, HOUR_OF_WEEK, asOfMs - 7 * MS.day, asOfMs) : null,
  };
}

/** The daily-total baseline of a stored document (day-of-week profile). */
export function toDailyBaseline(doc: BaselineDocument, daily: StoredResolution): JudgedBaseline {
  const windowStartMs = Date.parse(`${doc.windowFrom}T00:00:00Z`);
  const asOfMs = Date.parse(`${doc.asOf}T00:00:00Z`);
  const stats = { ...statsOf(daily, daily.seasonal, DAY_OF_WEEK, windowStartMs, asOfMs), ...(daily.previousMonth ? { previousMonth: daily.previousMonth } : {}) };
  return { stats, activeFraction: daily.activeFraction, active: daily.active ? statsOf(daily.active, daily.active.seasonal, DAY_OF_WEEK, windowStartMs, asOfMs) : null };
}

/**
 * Baselines by `_id` only (the primary index on MongoDB, pushed down on FerretDB), cached per
 * as-of date: a baseline never changes once its day is closed. Whether the previous day is
 * final comes from the detector's own record of billing.day-closed.v1 (ClosedDays): while it
 * is not, every lookup is "not-yet" without a baseline read; once it is, the baselines as of
 * the next day are all written (the event follows them), so a miss is "none". Both are cached.
 */
@Injectable()
export class BaselinesRepository implements BaselineSource {
  private readonly baselines: Collection<BaselineDocument>;
  private readonly cache = new Map<string, Map<string, BaselineDocument | null>>();
  private readonly limit = pLimit(LOOKUP_CONCURRENCY);

  constructor(
    @Inject(MONGO_DB) db: Db,
    @Inject(CLOSED_DAYS) private readonly closedDays: ClosedDays,
  ) {
    this.baselines = db.collection<BaselineDocument>(Collections.baselines);
  }

  async lookup(asOf: string, seriesId: string): Promise<BaselineLookup> {
    const cached = this.cache.get(asOf)?.get(seriesId);
    if (cached !== undefined) return cached ? { status: 'found', baseline: toJudgedBaseline(cached) } : { status: 'none' };
    if (!(await this.closedDays.isFinal(addDays(asOf, -1)))) return { status: 'not-yet' };
    const doc = await this.read(asOf, seriesId);
    this.remember(asOf, seriesId, doc);
    return doc ? { status: 'found', baseline: toJudgedBaseline(doc) } : { status: 'none' };
  }

  /**
   * The daily-total baseline as of `asOf` (built from the days before it). Daily totals of a
   * day are published when it closes, after the previous day closed and wrote this baseline,
   * so a miss means the series has no daily history.
   */
  async daily(asOf: string, seriesId: string): Promise<JudgedBaseline | null> {
    const cached = this.cache.get(asOf)?.get(seriesId);
    const doc = cached !== undefined ? cached : await this.read(asOf, seriesId);
    if (cached === undefined && doc) this.remember(asOf, seriesId, doc);
    return doc?.daily ? toDailyBaseline(doc, doc.daily) : null;
  }

  private read(asOf: string, seriesId: string): Promise<BaselineDocument | null> {
    return this.limit(() => this.baselines.findOne({ _id: baselineDocumentId(asOf, seriesId) }));
  }

  private remember(asOf: string, seriesId: string, baseline: BaselineDocument | null): void {
    let byDate = this.cache.get(asOf);
    if (!byDate) {
      byDate = new Map();
      this.cache.set(asOf, byDate);
      if (this.cache.size > CACHED_DATES) {
        const oldest = [...this.cache.keys()].sort()[0];
        if (oldest !== undefined && oldest !== asOf) this.cache.delete(oldest);
      }
    }
    byDate.set(seriesId, baseline);
  }
}
