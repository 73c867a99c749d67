import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Db } from 'mongodb';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { ClosedDays } from '../application/ports';

interface ClosedDayDocument {
  _id: string;
  closedAt: string;
}

/**
 * detector_closed_days: one document per day billing.day-closed.v1 announced. The latest
 * closed day is kept in memory; a day not final by it is read again (one read shared by every
 * lookup in flight), which is how a second detector instance learns of a close it did not
 * consume itself.
 */
@Injectable()
export class ClosedDaysRepository implements ClosedDays {
  private readonly collection: Collection<ClosedDayDocument>;
  private latest: string | undefined;
  private reading: Promise<string | undefined> | undefined;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<ClosedDayDocument>(Collections.detectorClosedDays);
  }

  async markClosed(date: string): Promise<void> {
    await this.collection.updateOne({ _id: date }, { $setOnInsert: { closedAt: new Date().toISOString() } }, { upsert: true });
    if (this.latest === undefined || date > this.latest) this.latest = date;
  }

  async isFinal(date: string): Promise<boolean> {
    if (this.latest !== undefined && this.latest >= date) return true;
    const latest = await this.readLatest();
    if (latest !== undefined && (this.latest === undefined || latest > this.latest)) this.latest = latest;
    return this.latest !== undefined && this.latest >= date;
  }

  private readLatest(): Promise<string | undefined> {
    if (!this.reading) {
      this.reading = this.collection
        .find({}, { projection: { _id: 1 } })
        .sort({ _id: -1 })
        .limit(1)
        .toArray()
        .then(([doc]) => doc?._id)
        .finally(() => (this.reading = undefined));
    }
    return this.reading;
  }
}
