import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { Collections, MONGO_DB } from '@costwatch/mongo';
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
 * billing_series: one small document per series with its closed recent days (a bounded
 * window). Day closing and the baseline job read this collection whole — a few hundred
 * documents — instead of querying billing_daily by date, which FerretDB cannot serve without
 * a scan. A series document is created when the series first appears; its days are set when
 * the day closes (and again if a closed day is restated), not on every batch.
 */
export interface SeriesDocument extends SeriesIdentity {
  _id: string;
  serviceName: string;
  days: Record<string, SeriesDay>;
}

export type SeriesFields = SeriesIdentity & { serviceName: string };

export interface SeriesDayUpdate {
  seriesId: string;
  identity: SeriesFields;
  date: string;
  day: SeriesDay;
}

@Injectable()
export class SeriesRepository {
  readonly collection: Collection<SeriesDocument>;
  /** Series this instance has already recorded; a series document, once written, stays. */
  private readonly known = new Set<string>();

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<SeriesDocument>(Collections.series);
  }

  /** Records series not seen before, so that day closing knows every series that has a day document. */
  async ensure(series: ReadonlyMap<string, SeriesFields>): Promise<void> {
    const fresh = [...series].filter(([id]) => !this.known.has(id));
    if (fresh.length === 0) return;
    await this.collection.bulkWrite(
      fresh.map(([_id, identity]) => ({ updateOne: { filter: { _id }, update: { $setOnInsert: { ...identity, days: {} } }, upsert: true } })),
      { ordered: false },
    );
    for (const [id] of fresh) this.known.add(id);
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
