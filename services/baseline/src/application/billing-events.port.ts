import type { DailyTotal, HourlySnapshot } from '@costwatch/contracts';

/** Where the aggregator's outputs go (Kafka in the service, an array in unit tests). */
export interface BillingEventsPort {
  publishSnapshots(snapshots: readonly HourlySnapshot[]): Promise<void>;
  publishDailyTotals(totals: readonly DailyTotal[]): Promise<void>;
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
}
