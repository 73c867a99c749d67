import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { MONGO_DB } from '@costwatch/mongo';
import { addDays, type SeriesIdentity } from '../domain/rollup-keys';

/** One day of one series as the baseline job and day closing need it. */
export interface SeriesDay {
  /** Hourly costs as floats — statistics only; exact money stays in `total` and billing_daily. */
  hours: number[];
  hourCounts: number[];
  total: string;
  recordCount: number;
}

/**
 * billing_series: one small document per series with its recent days (a bounded window).
 * Day closing and the baseline job read this collection whole — a few hundred documents —
 * instead of querying billing_daily by date, which FerretDB cannot serve without a scan.
 */
export interface SeriesDocument extends SeriesIdentity {
  _id: string;
  serviceName: string;
  days: Record<string, SeriesDay>;
}

export interface SeriesDayUpdate {
  seriesId: string;
  identity: SeriesIdentity & { serviceName: string };
  date: string;
  day: SeriesDay;
}

@Injectable()
export class SeriesRepository {
  readonly collection: Collection<SeriesDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<SeriesDocument>('billing_series');
  }

  /** Sets each updated day and drops the day `retainDays` before it, keeping documents bounded. */
  async updateDays(updates: readonly SeriesDayUpdate[], retainDays: number): Promise<void> {
    if (updates.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<SeriesDocument>> = updates.map(({ seriesId, identity, date, day }) => ({
      updateOne: {
        filter: { _id: seriesId },
        update: { $set: { ...identity, [`days.${date}`]: day }, $unset: { [`days.${addDays(date, -retainDays)}`]: '' } },
        upsert: true,
      },
    }));
    await this.collection.bulkWrite(operations, { ordered: false });
  }

  all(): Promise<SeriesDocument[]> {
    return this.collection.find({}).toArray();
  }
}
