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
  /** Record id → what the rollup needs of it (in MongoDB: one compact string each, see encodeDayRecord). */
  records: Map<string, DayRecord>;
}

/** billing_daily as stored: each record is one string, `amount|collectedAt|source|granularity|hour`. */
type StoredDailyDocument = Omit<DailyDocument, 'records'> & { records: Record<string, string | DayRecord> };

/**
 * One string per record rather than a sub-document: a day document is rewritten whenever
 * its series gets a record, and a MongoDB-wire server's cost per write grows with the
 * number of elements (about half the time per write on mongo-java-server for 20 records).
 * No field contains `|`: amounts are decimals, collectedAt an ISO time, the rest enums.
 */
export function encodeDayRecord(record: DayRecord): string {
  return `${record.amount}|${record.collectedAt}|${record.source}|${record.granularity}|${record.hour}`;
}

export function decodeDayRecord(stored: string | DayRecord): DayRecord {
  // A document written before records were compacted holds sub-documents.
  if (typeof stored !== 'string') return stored;
  const [amount = '0', collectedAt = '', source, granularity, hour = '0'] = stored.split('|');
  return { amount, collectedAt, source: source as DayRecord['source'], granularity: granularity as DayRecord['granularity'], hour: Number(hour) };
}

/** Documents per bulk write: each is serialized in one go, so smaller writes let batches run in between. */
const WRITE_CHUNK = 500;

const LOOKUP_CONCURRENCY = 16;

@Injectable()
export class RollupsRepository {
  readonly daily: Collection<StoredDailyDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.daily = db.collection<StoredDailyDocument>(Collections.daily);
  }

  async ensureIndexes(): Promise<void> {
    // Serves reports and dashboards that read one day across series.
    await this.daily.createIndex({ date: 1 }, { name: 'date' });
  }

  /** Day documents by id, one `_id` lookup each (an `$in` would be a full scan on FerretDB). */
  async findDaily(ids: readonly string[]): Promise<DailyDocument[]> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const found = await Promise.all(ids.map((_id) => limit(() => this.daily.findOne({ _id }))));
    return found.flatMap((doc) => (doc ? [{ ...doc, records: new Map(Object.entries(doc.records).map(([id, stored]) => [id, decodeDayRecord(stored)])) }] : []));
  }

  async writeDaily(documents: readonly DailyDocument[]): Promise<void> {
    for (let start = 0; start < documents.length; start += WRITE_CHUNK) {
      const operations: Array<AnyBulkWriteOperation<StoredDailyDocument>> = documents.slice(start, start + WRITE_CHUNK).map(({ _id, records, ...fields }) => {
        const stored: Record<string, string> = {};
        for (const [id, record] of records) stored[id] = encodeDayRecord(record);
        return { replaceOne: { filter: { _id }, replacement: { ...fields, records: stored }, upsert: true } };
      });
      await this.daily.bulkWrite(operations, { ordered: false });
    }
  }
}
