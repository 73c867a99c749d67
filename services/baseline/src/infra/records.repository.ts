import { Inject, Injectable } from '@nestjs/common';
import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import type { BillingRecord } from '@costwatch/contracts';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import { dayKey, periodSlot } from '../domain/rollup-keys';

export interface RecordDocument extends Omit<BillingRecord, 'id'> {
  _id: string;
  date: string;
  hour: number;
  dayKey: string;
}

const DUPLICATE_KEY = 11000;

/** billing_records: every record once, by its deterministic id; a restatement replaces it. */
@Injectable()
export class RecordsRepository {
  readonly collection: Collection<RecordDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<RecordDocument>(Collections.records);
  }

  async ensureIndexes(): Promise<void> {
    // Serves findByDayKeys: all records of the series-days a batch touched.
    await this.collection.createIndex({ dayKey: 1 }, { name: 'dayKey' });
  }

  /**
   * Stores records idempotently. The filter only matches when the stored copy is not
   * newer, so an older restatement arriving late cannot overwrite a newer one (its upsert
   * then collides on _id, which is the expected "stale" outcome and ignored).
   */
  async upsertNewest(records: readonly BillingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const operations = records.map(({ id, ...record }) => {
      const { date, hour } = periodSlot(record.periodStart);
      return {
        updateOne: {
          filter: { _id: id, collectedAt: { $lte: record.collectedAt } },
          update: { $set: { ...record, date, hour, dayKey: dayKey(date, record) } },
          upsert: true,
        },
      };
    });
    try {
      await this.collection.bulkWrite(operations, { ordered: false });
    } catch (error) {
      const stale = error instanceof MongoBulkWriteError && error.writeErrors instanceof Array && error.writeErrors.every((e) => e.code === DUPLICATE_KEY);
      const single = error instanceof MongoBulkWriteError && !(error.writeErrors instanceof Array) && error.code === DUPLICATE_KEY;
      if (!stale && !single) throw error;
    }
  }

  findByDayKeys(dayKeys: readonly string[]): Promise<Array<Pick<RecordDocument, 'dayKey' | 'source' | 'granularity' | 'amount' | 'hour' | 'serviceName'>>> {
    return this.collection
      .find({ dayKey: { $in: [...dayKeys] } }, { projection: { _id: 0, dayKey: 1, source: 1, granularity: 1, amount: 1, hour: 1, serviceName: 1 } })
      .toArray();
  }
}
