import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import pLimit from 'p-limit';
import { HOUR_OF_WEEK, type BaselineStats } from '@costwatch/detection';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { BaselineLookup, BaselineSource } from '../application/ports';

/** billing_baseline as the baseline service writes it (`_id` = `<asOf>|<domain>|<project>|<service>|<currency>`). */
interface BaselineDocument {
  _id: string;
  asOf: string;
  windowFrom: string;
  count: number;
  mean: number;
  std: number;
  median: number;
  mad: number;
  meanAbsDev: number;
  min?: number;
  max?: number;
  hourOfWeek?: { median: number[]; mad: number[]; count: number[]; pooledMad: number } | null;
  previousMonth?: { startMs: number; stepMs: number; values: number[] } | null;
}

/** billing_days as the aggregator keeps it: a day with data, closed once its baselines are written. */
interface DayDocument {
  _id: string;
  closed: boolean;
}

/** As-of dates whose baselines stay cached (live traffic needs one or two; a replay walks forward). */
const CACHED_DATES = 4;
const LOOKUP_CONCURRENCY = 16;

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function toBaselineStats(doc: BaselineDocument): BaselineStats {
  return {
    windowStartMs: Date.parse(`${doc.windowFrom}T00:00:00Z`),
    asOfMs: Date.parse(`${doc.asOf}T00:00:00Z`),
    count: doc.count,
    mean: doc.mean,
    std: doc.std,
    median: doc.median,
    mad: doc.mad,
    meanAbsDev: doc.meanAbsDev,
    // Not stored by the baseline job: extremeZ is then NaN (never fires).
    min: doc.min ?? Number.NaN,
    max: doc.max ?? Number.NaN,
    ...(doc.hourOfWeek ? { seasonal: { layout: HOUR_OF_WEEK, ...doc.hourOfWeek } } : {}),
    ...(doc.previousMonth ? { previousMonth: doc.previousMonth } : {}),
  };
}

/**
 * Baselines by `_id` only (the primary index on MongoDB, pushed down on FerretDB), cached per
 * as-of date: a baseline never changes once its day is closed. A missing baseline is "none"
 * (cached) when the previous day is closed or never had data, and "not-yet" (not cached)
 * while the previous day is still open.
 */
@Injectable()
export class BaselinesRepository implements BaselineSource {
  private readonly baselines: Collection<BaselineDocument>;
  private readonly days: Collection<DayDocument>;
  private readonly cache = new Map<string, Map<string, BaselineStats | null>>();
  private readonly closedDays = new Set<string>();
  private readonly limit = pLimit(LOOKUP_CONCURRENCY);

  constructor(@Inject(MONGO_DB) db: Db) {
    this.baselines = db.collection<BaselineDocument>(Collections.baselines);
    this.days = db.collection<DayDocument>('billing_days');
  }

  lookup(asOf: string, seriesId: string): Promise<BaselineLookup> {
    const cached = this.cache.get(asOf)?.get(seriesId);
    if (cached !== undefined) return Promise.resolve(cached ? { status: 'found', baseline: cached } : { status: 'none' });
    return this.limit(() => this.fetch(asOf, seriesId));
  }

  private async fetch(asOf: string, seriesId: string): Promise<BaselineLookup> {
    const previousDay = addDays(asOf, -1);
    // Known closed before the read: a miss is final. Learned closed during it (another
    // lookup), the baseline may have been written after this read missed it: read again below.
    const closedBefore = this.closedDays.has(previousDay);
    const doc = await this.baselines.findOne({ _id: `${asOf}|${seriesId}` });
    if (doc) {
      const baseline = toBaselineStats(doc);
      this.remember(asOf, seriesId, baseline);
      return { status: 'found', baseline };
    }
    if (closedBefore) {
      this.remember(asOf, seriesId, null);
      return { status: 'none' };
    }
    const day = this.closedDays.has(previousDay) ? { closed: true } : await this.days.findOne({ _id: previousDay });
    if (day === null) return { status: 'none' };
    if (!day.closed) return { status: 'not-yet' };
    this.closedDays.add(previousDay);
    // The day closed between the two reads: its baselines are written before it is marked closed.
    const late = await this.baselines.findOne({ _id: `${asOf}|${seriesId}` });
    const baseline = late ? toBaselineStats(late) : null;
    this.remember(asOf, seriesId, baseline);
    return baseline ? { status: 'found', baseline } : { status: 'none' };
  }

  private remember(asOf: string, seriesId: string, baseline: BaselineStats | null): void {
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
