import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
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

/** billing_daily: one document per (date, series), with the day's 24 exact hourly sums. */
export interface DailyDocument extends SeriesFields {
  _id: string;
  date: string;
  amount: string;
  amountValue: number;
  recordCount: number;
  hours: string[];
  hourCounts: number[];
  revisions: number[];
}

@Injectable()
export class RollupsRepository {
  readonly hourly: Collection<HourlyDocument>;
  readonly daily: Collection<DailyDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.hourly = db.collection<HourlyDocument>(Collections.hourly);
    this.daily = db.collection<DailyDocument>(Collections.daily);
  }

  async ensureIndexes(): Promise<void> {
    // Serves the baseline job (all series' days in a date window) and daily-total publishing.
    await this.daily.createIndex({ date: 1 }, { name: 'date' });
    // Serves dashboards and reports that read an hour range of one series.
    await this.hourly.createIndex({ domainId: 1, projectId: 1, serviceId: 1, date: 1, hour: 1 }, { name: 'series_time' });
  }

  findDaily(ids: readonly string[]): Promise<DailyDocument[]> {
    return this.daily.find({ _id: { $in: [...ids] } }).toArray();
  }

  findDailyByDates(dates: readonly string[]): Promise<DailyDocument[]> {
    return this.daily.find({ date: { $in: [...dates] } }).toArray();
  }

  async writeHourly(documents: readonly HourlyDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<HourlyDocument>> = documents.map(({ _id, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $set: fields }, upsert: true },
    }));
    await this.hourly.bulkWrite(operations, { ordered: false });
  }

  async writeDaily(documents: readonly DailyDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<DailyDocument>> = documents.map(({ _id, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $set: fields }, upsert: true },
    }));
    await this.daily.bulkWrite(operations, { ordered: false });
  }
}
