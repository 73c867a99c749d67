import type { Collection, Db } from 'mongodb';
import type { Collections } from '@costwatch/mongo';

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
  /** The open days as last read, for callers that accept an answer up to a given age. */
  private openSnapshot: { readAt: number; days: Set<string> } | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(db: Db, name: typeof Collections.days | typeof Collections.archiveDays) {
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
    // A new day may be open now: the next caller reads the list again.
    this.openSnapshot = undefined;
  }

  /**
   * The days still open. With `maxAgeMs` (the consumers ask on every batch), the list last
   * read is answered at once, and read again in the background once it is older than that,
   * so no batch waits for the read: a day another instance closed meanwhile may still be
   * listed (closing again is idempotent) and one it opened may be missing for that long
   * (closing late is safe); this instance's own touches and closes are applied at once.
   */
  async openDays(maxAgeMs = 0): Promise<string[]> {
    if (!this.openSnapshot || maxAgeMs === 0) await this.readOpenDays();
    else if (Date.now() - this.openSnapshot.readAt > maxAgeMs) this.refreshOpenDays();
    return [...(this.openSnapshot?.days ?? [])].sort();
  }

  private async readOpenDays(): Promise<void> {
    const readAt = Date.now();
    const documents = await this.collection.find({ closed: false }, { projection: { _id: 1 } }).toArray();
    // A day closed here while the read was under way stays closed.
    this.openSnapshot = { readAt, days: new Set(documents.map((d) => d._id).filter((day) => !this.knownClosed.has(day))) };
  }

  private refreshOpenDays(): void {
    // A failed read keeps the last list; the next batch asks again.
    this.refreshing ??= this.readOpenDays()
      .catch(() => undefined)
      .finally(() => (this.refreshing = undefined));
  }

  /** Whether the day is closed; with `maxAgeMs`, "open" in the list of open days will do, on the same terms as openDays. */
  async isClosed(day: string, maxAgeMs = 0): Promise<boolean> {
    if (this.knownClosed.has(day)) return true;
    if (maxAgeMs > 0 && this.openSnapshot?.days.has(day)) {
      if (Date.now() - this.openSnapshot.readAt > maxAgeMs) this.refreshOpenDays();
      return false;
    }
    const closed = (await this.collection.findOne({ _id: day }))?.closed === true;
    if (closed) this.knownClosed.add(day);
    return closed;
  }

  async markClosed(day: string, at: Date): Promise<void> {
    await this.collection.updateOne({ _id: day }, { $set: { closed: true, closedAt: at.toISOString() } }, { upsert: true });
    this.knownClosed.add(day);
    this.openSnapshot?.days.delete(day);
  }
}
