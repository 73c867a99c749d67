import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import type { BillingRecord } from '@costwatch/contracts';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import { billingDay, dayKey, periodSlot } from '../domain/rollup-keys';

export interface RecordDocument extends Omit<BillingRecord, 'id'> {
  _id: string;
  date: string;
  hour: number;
  dayKey: string;
}

/**
 * billing_records: every record once, by its deterministic id; a restatement replaces it.
 * Written for audit and reports; the aggregator's own state is the day documents.
 */
@Injectable()
export class RecordsRepository {
  readonly collection: Collection<RecordDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<RecordDocument>(Collections.records);
  }

  async ensureIndexes(): Promise<void> {
    // Serves reports and audits that list one series-day's records.
    await this.collection.createIndex({ dayKey: 1 }, { name: 'dayKey' });
  }

  /**
   * Stores the records the aggregator accepted (new ids, or newer restatements of known
   * ones: the day documents decide), replacing older copies by `_id`.
   */
  async replace(records: readonly BillingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.collection.bulkWrite(
      records.map(({ id, ...record }) => {
        const date = billingDay(record);
        const { hour } = periodSlot(record.periodStart);
        return { replaceOne: { filter: { _id: id }, replacement: { ...record, date, hour, dayKey: dayKey(date, record) }, upsert: true } };
      }),
      { ordered: false },
    );
  }
}
