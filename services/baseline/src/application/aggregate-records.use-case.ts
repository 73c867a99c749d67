import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DeferredCommit } from '@costwatch/kafka';
import { ROOT_LOGGER } from '@costwatch/observability';
import { approximate, sumAmounts, type BillingRecord, type HourlySnapshot } from '@costwatch/contracts';
import { rollupDay } from '../domain/day-rollup';
import { addDays, billingDay, dayKey, periodSlot, seriesId } from '../domain/rollup-keys';
import { DayClock, type BacklogProbe } from './day-clock';
import { DayWriteBehind } from './day-write-behind';
import type { DaysRepository } from '../infra/days.repository';
import { RecordsRepository } from '../infra/records.repository';
import { RollupsRepository, type DailyDocument } from '../infra/rollups.repository';
import { SeriesRepository } from '../infra/series.repository';
import { BaselineMetrics } from './baseline-metrics';
import { AGGREGATOR_DAYS, BASELINE_SETTINGS, BILLING_EVENTS, DAY_STATUS_MAX_AGE_MS, type BaselineSettings, type BillingEventsPort } from './billing-events.port';
import { CloseDayUseCase } from './close-day.use-case';
import { seriesFields, toDailyTotal, toSeriesDay } from './daily-total';

export interface IncomingRecord {
  record: BillingRecord;
  partition: number;
}


/**
 * Stores a batch of records and brings the rollups of every series-day it touched up to
 * date. Each day's rollup is recomputed from the day's records (newest restatement per id),
 * never incremented, so redelivery, replay and restatements cannot double count, and a crash
 * at any step heals on redelivery. Step order matters: snapshots (and the optional
 * billing_records copies) first, then the day document — the day document is what later
 * batches merge into, so it is written last. A series' history in billing_series is written
 * when its day closes, not per batch: one write per series-day instead of one per batch.
 */
@Injectable()
export class AggregateRecordsUseCase {
  private readonly clock = new DayClock();
  private readonly cache = new Map<string, DailyDocument>();
  /** Day documents known not to exist (see loadDaysBefore). */
  private readonly absent = new Set<string>();
  private closing: Promise<void> = Promise.resolve();
  private readonly writeBehind: DayWriteBehind;

  constructor(
    private readonly records: RecordsRepository,
    private readonly rollups: RollupsRepository,
    private readonly series: SeriesRepository,
    @Inject(AGGREGATOR_DAYS) private readonly days: DaysRepository,
    @Inject(BILLING_EVENTS) private readonly events: BillingEventsPort,
    @Inject(BASELINE_SETTINGS) private readonly settings: BaselineSettings,
    private readonly closeDay: CloseDayUseCase,
    private readonly metrics: BaselineMetrics,
    @Optional() @Inject(ROOT_LOGGER) private readonly logger?: Logger,
  ) {
    this.writeBehind = new DayWriteBehind((docs) => this.rollups.writeDaily(docs), { intervalMs: settings.writeBehindMs, maxDirty: settings.writeBehindMaxDocuments }, (error, attempt) =>
      logger?.warn({ err: error, attempt }, 'writing day documents failed; retrying'),
    );
  }

  /**
   * Aggregates a batch. With write-behind on (`writeBehindMs` > 0) the day documents are
   * written later and the result says when: the batch's offsets are committed then.
   */
  async execute(batch: readonly IncomingRecord[]): Promise<DeferredCommit | undefined> {
    try {
      const written = await this.aggregate(batch);
      // Without write-behind the documents were written within the batch.
      return this.settings.writeBehindMs > 0 ? written : undefined;
    } catch (error) {
      // After a failed write the cache may be ahead of the database: start over from it.
      this.cache.clear();
      this.absent.clear();
      this.writeBehind.drop();
      throw error;
    }
  }

  /**
   * At shutdown, before the last commits: writes every day document still in memory, or
   * gives up after `timeoutMs` (what is not written is redelivered after the restart).
   */
  async close(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.writeBehind.flush().then(() => 'written' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.writeBehind.drop();
  }

  /** Partition ownership changed: forget cached and unwritten state and per-partition progress (see DayClock). */
  rejoined(owned: readonly number[], probe: BacklogProbe): void {
    this.cache.clear();
    this.absent.clear();
    this.writeBehind.drop();
    this.clock.rejoined(owned, probe);
  }

  private async aggregate(batch: readonly IncomingRecord[]): Promise<DeferredCommit> {
    const byDay = new Map<string, BillingRecord[]>();
    for (const { record } of batch) {
      const key = dayKey(billingDay(record), record);
      byDay.set(key, [...(byDay.get(key) ?? []), record]);
    }
    const keys = [...byDay.keys()].sort();
    const previous = await this.loadDays(keys);
    const accepted: BillingRecord[] = [];

    const changed: Array<{ next: DailyDocument; hours: number[] }> = [];
    const daily: DailyDocument[] = [];
    // Sorted, so a day's merged document is what the next day's trailing windows read.
    for (const key of keys) {
      const incoming = byDay.get(key) ?? [];
      const before = previous.get(key);
      // The records of a document not being written are taken over, not copied: a copy per
      // merge is garbage a busy aggregator spends its time collecting.
      const next = mergeDay(key, before, incoming, accepted, before !== undefined && !this.writeBehind.isWriting(before));
      if (!next) continue;
      previous.set(key, next);
      const changes = changedHours(before, next);
      for (const hour of changes) next.revisions[hour] = (before?.revisions[hour] ?? 0) + 1;
      if (changes.length > 0) changed.push({ next, hours: changes });
      if (changes.length > 0 || !before || before.amount !== next.amount || before.recordCount !== next.recordCount) daily.push(next);
    }

    // An hour's trailing 24 hours reach into the day before.
    await this.loadDaysBefore(changed.map(({ next }) => next._id), previous);
    const snapshots: HourlySnapshot[] = [];
    for (const { next, hours } of changed) {
      const dayBefore = previous.get(dayBeforeKey(next._id));
      for (const hour of hours) {
        snapshots.push({
          date: next.date,
          hour,
          domainId: next.domainId,
          projectId: next.projectId,
          serviceId: next.serviceId,
          serviceName: next.serviceName,
          currency: next.currency,
          amount: next.hours[hour] ?? '0',
          recordCount: next.hourCounts[hour] ?? 0,
          revision: next.revisions[hour] ?? 1,
          trailing24h: trailing24h(dayBefore, next, hour),
        });
      }
    }

    // The days and series are known before any of their snapshots is out: day closing finds
    // the open days in billing_days and a series' day documents through billing_series.
    const dates = [...new Set(daily.map((d) => d.date))];
    await Promise.all([this.days.touch(dates), this.series.ensure(new Map(daily.map((doc) => [seriesId(doc), seriesFields(doc)])))]);
    // Independent writes go out together; the day documents still come last.
    await Promise.all([this.settings.storeRecords ? this.records.replace(accepted) : undefined, this.events.publishSnapshots(snapshots)]);
    const durable = this.writeBehind.add(daily);
    if (this.settings.writeBehindMs === 0) await this.writeBehind.flush();
    this.metrics.aggregated.inc({ outcome: 'accepted' }, accepted.length);
    this.metrics.aggregated.inc({ outcome: 'unchanged' }, batch.length - accepted.length);
    for (const doc of daily) this.remember(doc);

    for (const { record, partition } of batch) this.clock.observe(partition, Date.parse(record.periodStart), record.id);
    await this.closeDays(daily);
    return { durable };
  }

  /**
   * Partitions are handled concurrently; closing runs one at a time so a day closes once.
   * A change to an already closed day is applied in the same queue: after a close that was
   * running (so that close cannot have read the day document before this batch wrote it and
   * then be missed here), before any later one.
   */
  private closeDays(written: readonly DailyDocument[]): Promise<void> {
    this.closing = this.closing.catch(() => undefined).then(async () => {
      await this.restateClosedDays(written);
      // A day that fails to close stays open (it is marked closed last) and is closed again
      // after a later batch. The batch's records are merged already: failing the batch for
      // it would retry them and, past the retry budget, dead-letter good records.
      try {
        const closable = await this.clock.closable(await this.days.openDays(DAY_STATUS_MAX_AGE_MS), this.settings.dayCloseGraceMs);
        // Closing reads the day documents from MongoDB: write what is still in memory first.
        if (closable.length > 0) await this.writeBehind.flush();
        for (const day of closable) await this.closeDay.execute(day);
      } catch (error) {
        this.logger?.warn({ err: error }, 'closing a day failed; it is closed again after a later batch');
      }
    });
    return this.closing;
  }

  private async loadDays(keys: readonly string[]): Promise<Map<string, DailyDocument>> {
    const result = new Map<string, DailyDocument>();
    const missing: string[] = [];
    for (const key of keys) {
      const cached = this.writeBehind.get(key) ?? this.cache.get(key);
      if (cached) result.set(key, cached);
      else missing.push(key);
    }
    for (const doc of await this.rollups.findDaily(missing)) result.set(doc._id, doc);
    return result;
  }

  /**
   * Adds to `loaded` the day-before documents of `keys` it lacks, from memory or MongoDB. A
   * document found is cached; one that does not exist is remembered as absent until this
   * aggregator writes it (it owns the series' partition), so a series without yesterday costs
   * no read per batch.
   */
  private async loadDaysBefore(keys: readonly string[], loaded: Map<string, DailyDocument>): Promise<void> {
    const missing: string[] = [];
    for (const key of new Set(keys.map(dayBeforeKey))) {
      if (loaded.has(key) || this.absent.has(key)) continue;
      const known = this.writeBehind.get(key) ?? this.cache.get(key);
      if (known) loaded.set(key, known);
      else missing.push(key);
    }
    if (missing.length === 0) return;
    const found = new Map((await this.rollups.findDaily(missing)).map((doc) => [doc._id, doc]));
    for (const key of missing) {
      const doc = found.get(key);
      if (doc) {
        loaded.set(key, doc);
        this.remember(doc);
      } else {
        this.absent.add(key);
        if (this.absent.size > this.settings.cacheDocuments) this.absent.delete(this.absent.values().next().value as string);
      }
    }
  }

  private remember(doc: DailyDocument): void {
    this.absent.delete(doc._id);
    this.cache.delete(doc._id);
    this.cache.set(doc._id, doc);
    if (this.cache.size > this.settings.cacheDocuments) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  /** A restatement of an already closed day: the series keeps the new day, and its daily total and its project's and domain's are published again. */
  private async restateClosedDays(daily: readonly DailyDocument[]): Promise<void> {
    const closed = new Set<string>();
    for (const date of new Set(daily.map((doc) => doc.date))) if (await this.days.isClosed(date, DAY_STATUS_MAX_AGE_MS)) closed.add(date);
    const restated = daily.filter((doc) => closed.has(doc.date));
    if (restated.length === 0) return;
    await this.series.updateDays(restated.map(toSeriesDay), this.settings.baselineWindowDays + 5);
    await this.events.publishDailyTotals([...restated.map(toDailyTotal), ...(await this.closeDay.restatedRollups(restated))]);
  }
}

/** `date|series` → the same series' key for the day before. */
function dayBeforeKey(key: string): string {
  const bar = key.indexOf('|');
  return `${addDays(key.slice(0, bar), -1)}${key.slice(bar)}`;
}

/** The exact cost of the 24 hours ending with `hour`: its own day's hours up to it and the day before's after it. */
export function trailing24h(dayBefore: Pick<DailyDocument, 'hours'> | undefined, day: Pick<DailyDocument, 'hours'>, hour: number): string {
  return sumAmounts([...(dayBefore?.hours.slice(hour + 1) ?? []), ...day.hours.slice(0, hour + 1)]);
}

function parseDayKey(key: string) {
  const [date = '', domainId = '', projectId = '', serviceId = '', currency = ''] = key.split('|');
  return { date, domainId, projectId, serviceId, currency };
}

/**
 * The day document after merging incoming records (newest `collectedAt` per id wins);
 * undefined when nothing changed. With `takeOverRecords`, the new document reuses (and
 * changes) `before`'s records, so `before` must be superseded by it and not be in a write
 * that may not have been serialized yet; otherwise they are copied.
 */
export function mergeDay(key: string, before: DailyDocument | undefined, incoming: readonly BillingRecord[], accepted: BillingRecord[] = [], takeOverRecords = false): DailyDocument | undefined {
  const records = takeOverRecords && before ? before.records : new Map(before?.records);
  let changed = false;
  let serviceName = before?.serviceName;
  for (const record of incoming) {
    const stored = records.get(record.id);
    if (stored && stored.collectedAt > record.collectedAt) continue;
    if (stored && stored.collectedAt === record.collectedAt && stored.amount === record.amount) continue;
    records.set(record.id, { amount: record.amount, collectedAt: record.collectedAt, source: record.source, granularity: record.granularity, hour: periodSlot(record.periodStart).hour });
    accepted.push(record);
    serviceName = record.serviceName;
    changed = true;
  }
  if (!changed && before) return undefined;
  const rollup = rollupDay(records.values());
  const { date, ...series } = parseDayKey(key);
  return {
    _id: key,
    date,
    ...series,
    serviceName: serviceName ?? series.serviceId,
    amount: rollup.total,
    amountValue: approximate(rollup.total),
    recordCount: rollup.recordCount,
    hours: rollup.hours,
    hourCounts: rollup.hourCounts,
    revisions: [...(before?.revisions ?? new Array<number>(24).fill(0))],
    records,
  };
}

function changedHours(before: DailyDocument | undefined, next: DailyDocument): number[] {
  const hours: number[] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    const count = next.hourCounts[hour] ?? 0;
    const same = before ? before.hours[hour] === next.hours[hour] && before.hourCounts[hour] === count : count === 0;
    if (!same) hours.push(hour);
  }
  return hours;
}

