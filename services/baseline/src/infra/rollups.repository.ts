import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import pLimit from 'p-limit';
import type { BillingRecord } from '@costwatch/contracts';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { SeriesIdentity } from '../domain/rollup-keys';

interface SeriesFields extends SeriesIdentity {
  serviceName: string;
}

/** billing_hourly: one document per (date, hour, series). `amount` is exact; `amountValue` is for charts only. */
export interface HourlyDocument extends SeriesFields {
  _id: string;
  date: string;
  hour: number;
  amount: string;
  amountValue: number;
  recordCount: number;
  revision: number;
}

/** The part of a record a day's rollup needs, kept inside the day document. */
export interface DayRecord {
  amount: string;
  collectedAt: string;
  source: BillingRecord['source'];
  granularity: BillingRecord['granularity'];
  hour: number;
}

/**
 * billing_daily: one document per (date, series) — the aggregator's unit of state. It holds
 * the day's records (newest restatement of each id), their exact total and 24 hourly sums,
 * and each hour's revision. Everything is read and written by `_id`, which MongoDB serves
 * from its primary index and FerretDB pushes down to SQLite.
 */
export interface DailyDocument extends SeriesFields {
  _id: string;
  date: string;
  amount: string;
  amountValue: number;
  recordCount: number;
  hours: string[];
  hourCounts: number[];
  revisions: number[];
  records: Record<string, DayRecord>;
}

const LOOKUP_CONCURRENCY = 16;

@Injectable()
export class RollupsRepository {
  readonly hourly: Collection<HourlyDocument>;
  readonly daily: Collection<DailyDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.hourly = db.collection<HourlyDocument>(Collections.hourly);
    this.daily = db.collection<DailyDocument>(Collections.daily);
  }

  async ensureIndexes(): Promise<void> {
    // Serves reports and dashboards that read one day across series.
    await this.daily.createIndex({ date: 1 }, { name: 'date' });
    // Serves dashboards and reports that read an hour range of one series.
    await this.hourly.createIndex({ domainId: 1, projectId: 1, serviceId: 1, date: 1, hour: 1 }, { name: 'series_time' });
  }

  /** Day documents by id, one `_id` lookup each (an `$in` would be a full scan on FerretDB). */
  async findDaily(ids: readonly string[]): Promise<DailyDocument[]> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const found = await Promise.all(ids.map((_id) => limit(() => this.daily.findOne({ _id }))));
    return found.filter((doc): doc is DailyDocument => doc !== null);
  }

  async writeHourly(documents: readonly HourlyDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<HourlyDocument>> = documents.map(({ _id, ...fields }) => ({
      replaceOne: { filter: { _id }, replacement: fields, upsert: true },
    }));
    await this.hourly.bulkWrite(operations, { ordered: false });
  }

  async writeDaily(documents: readonly DailyDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<DailyDocument>> = documents.map(({ _id, ...fields }) => ({
      replaceOne: { filter: { _id }, replacement: fields, upsert: true },
    }));
    await this.daily.bulkWrite(operations, { ordered: false });
  }
}
