import type { Collection, Db } from 'mongodb';

interface DayDocument {
  _id: string;
  closed: boolean;
  closedAt?: string;
}

/**
 * Which days have data and which are closed. The aggregator keeps `billing_days` (closed =
 * daily totals published and baselines built); the archiver keeps `archive_days` (closed =
 * the day file compacted), so each consumer group closes days at its own pace.
 */
export class DaysRepository {
  private readonly collection: Collection<DayDocument>;
  /** Closing is final, so a day once seen closed is never asked about again (every batch asks). */
  private readonly knownClosed = new Set<string>();
  /** Days this instance has already recorded; a day document, once written, stays. */
  private readonly touched = new Set<string>();

  constructor(db: Db, name: 'billing_days' | 'archive_days') {
    this.collection = db.collection<DayDocument>(name);
  }

  async ensureIndexes(): Promise<void> {
    // Serves openDays(): the days still waiting for the watermark.
    await this.collection.createIndex({ closed: 1 }, { name: 'closed' });
  }

  async touch(days: readonly string[]): Promise<void> {
    const fresh = days.filter((day) => !this.touched.has(day));
    if (fresh.length === 0) return;
    await this.collection.bulkWrite(
      fresh.map((day) => ({ updateOne: { filter: { _id: day }, update: { $setOnInsert: { closed: false } }, upsert: true } })),
      { ordered: false },
    );
    for (const day of fresh) this.touched.add(day);
  }

  async openDays(): Promise<string[]> {
    const documents = await this.collection.find({ closed: false }, { projection: { _id: 1 } }).toArray();
    return documents.map((d) => d._id).sort();
  }

  async isClosed(day: string): Promise<boolean> {
    if (this.knownClosed.has(day)) return true;
    const closed = (await this.collection.findOne({ _id: day }))?.closed === true;
    if (closed) this.knownClosed.add(day);
    return closed;
  }

  async markClosed(day: string, at: Date): Promise<void> {
    await this.collection.updateOne({ _id: day }, { $set: { closed: true, closedAt: at.toISOString() } }, { upsert: true });
    this.knownClosed.add(day);
  }
}
