import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import pLimit from 'p-limit';
import type { BillingRecord } from '@costwatch/contracts';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { SeriesIdentity } from '../domain/rollup-keys';

interface SeriesFields extends SeriesIdentity {
  serviceName: string;
}

/** The part of a record a day's rollup needs, kept inside the day document (the full record is in S3). */
export interface DayRecord {
  amount: string;
  collectedAt: string;
  source: BillingRecord['source'];
  granularity: BillingRecord['granularity'];
  hour: number;
}

/**
 * billing_daily: one document per (date, series) — the aggregator's unit of state and both
 * rollups. It holds the day's records (newest restatement of each id), their exact total,
 * the hourly rollup (`hours[h]`, exact, with `hourCounts[h]` records and `revisions[h]`),
 * so one write per series-day keeps records, the hourly and the daily rollup together. Everything is read and written by `_id`, which MongoDB serves
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
  readonly daily: Collection<DailyDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.daily = db.collection<DailyDocument>(Collections.daily);
  }

  async ensureIndexes(): Promise<void> {
    // Serves reports and dashboards that read one day across series.
    await this.daily.createIndex({ date: 1 }, { name: 'date' });
  }

  /** Day documents by id, one `_id` lookup each (an `$in` would be a full scan on FerretDB). */
  async findDaily(ids: readonly string[]): Promise<DailyDocument[]> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const found = await Promise.all(ids.map((_id) => limit(() => this.daily.findOne({ _id }))));
    return found.filter((doc): doc is DailyDocument => doc !== null);
  }

  async writeDaily(documents: readonly DailyDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<DailyDocument>> = documents.map(({ _id, ...fields }) => ({
      replaceOne: { filter: { _id }, replacement: fields, upsert: true },
    }));
    await this.daily.bulkWrite(operations, { ordered: false });
  }
}
