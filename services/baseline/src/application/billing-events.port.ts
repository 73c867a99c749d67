import type { DailyTotal, DayClosed, HourlySnapshot } from '@costwatch/contracts';

/** Where the aggregator's outputs go (Kafka in the service, an array in unit tests). */
export interface BillingEventsPort {
  publishSnapshots(snapshots: readonly HourlySnapshot[]): Promise<void>;
  publishDailyTotals(totals: readonly DailyTotal[]): Promise<void>;
  /** After the day's totals: the day is closed and the baselines as of the next day are written. */
  publishDayClosed(day: DayClosed): Promise<void>;
}

export const BILLING_EVENTS = Symbol('BILLING_EVENTS');
export const AGGREGATOR_DAYS = Symbol('AGGREGATOR_DAYS');
export const ARCHIVE_DAYS = Symbol('ARCHIVE_DAYS');
export const BASELINE_SETTINGS = Symbol('BASELINE_SETTINGS');

export interface BaselineSettings {
  dayCloseGraceMs: number;
  baselineWindowDays: number;
  /** Also keep every accepted record in billing_records (S3 always has them). */
  storeRecords: boolean;
  /** Day documents stay in memory up to this long before they are written (0: written with each batch). */
  writeBehindMs: number;
  /** Unwritten day documents that force a write sooner. */
  writeBehindMaxDocuments: number;
  /**
   * Day documents kept in memory between batches (a series-day is only ever written by its
   * partition's owner). Below the number of series with data today, every batch reads
   * documents back from MongoDB.
   */
  cacheDocuments: number;
}

/**
 * How old a read of the open days may be when a batch asks whether its days are closed or
 * closable. Every batch asks; one read a second instead of two per batch keeps the MongoDB
 * round trips off the per-batch path. Closing up to this much later is safe.
 */
export const DAY_STATUS_MAX_AGE_MS = 1_000;
