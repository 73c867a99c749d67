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
 * as-of date: a baseline never changes once its day is closed. Whether the previous day is
 * closed is read first, once for every lookup in flight: while it is open every lookup is
 * "not-yet" (not cached) without a baseline read; once it is closed its baselines are all
 * written (day closing marks the day last), so a miss is "none" (cached). A previous day
 * that never had data gives "none" for a missing baseline, not cached.
 */
@Injectable()
export class BaselinesRepository implements BaselineSource {
  private readonly baselines: Collection<BaselineDocument>;
  private readonly days: Collection<DayDocument>;
  private readonly cache = new Map<string, Map<string, BaselineStats | null>>();
  private readonly closedDays = new Set<string>();
  /** Day-status reads in flight, shared by every lookup that needs the same day. */
  private readonly dayReads = new Map<string, Promise<DayDocument | null>>();
  private readonly limit = pLimit(LOOKUP_CONCURRENCY);

  constructor(@Inject(MONGO_DB) db: Db) {
    this.baselines = db.collection<BaselineDocument>(Collections.baselines);
    this.days = db.collection<DayDocument>('billing_days');
  }

  async lookup(asOf: string, seriesId: string): Promise<BaselineLookup> {
    const cached = this.cache.get(asOf)?.get(seriesId);
    if (cached !== undefined) return cached ? { status: 'found', baseline: cached } : { status: 'none' };
    const previousDay = addDays(asOf, -1);
    const day = this.closedDays.has(previousDay) ? { closed: true } : await this.readDay(previousDay);
    if (day !== null && !day.closed) return { status: 'not-yet' };
    const doc = await this.limit(() => this.baselines.findOne({ _id: `${asOf}|${seriesId}` }));
    const baseline = doc ? toBaselineStats(doc) : null;
    // With no data the previous day may still get some (and then a baseline): not final.
    if (day !== null || baseline) this.remember(asOf, seriesId, baseline);
    return baseline ? { status: 'found', baseline } : { status: 'none' };
  }

  private readDay(day: string): Promise<DayDocument | null> {
    let read = this.dayReads.get(day);
    if (!read) {
      read = this.limit(() => this.days.findOne({ _id: day })).then((doc) => {
        if (doc?.closed) this.closedDays.add(day);
        return doc;
      });
      const forget = () => this.dayReads.delete(day);
      void read.then(forget, forget);
      this.dayReads.set(day, read);
    }
    return read;
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
