import { Watermark } from '../domain/watermark';

/** Of the given partitions, those holding records this consumer group has not read yet. */
export type BacklogProbe = (partitions: readonly number[]) => Promise<readonly number[]>;

/**
 * Decides when a day may close for one consumer group member. The watermark covers the
 * partitions seen so far; an owned partition not seen yet holds the clock back only while
 * it has unread records (Kafka delivers partitions' backlogs in no particular order, so one
 * partition can run days ahead of another that has not been fetched yet). An owned
 * partition with nothing to read carries no data and is not waited for.
 */
export class DayClock {
  private readonly watermark: Watermark;
  private owned: readonly number[] = [];
  private probe: BacklogProbe = () => Promise.resolve([]);

  /** `now`: the wall clock, beyond which a record start is not observed (see Watermark). */
  constructor(now?: () => number) {
    this.watermark = new Watermark(now);
  }

  /** Ownership changed: per-partition progress starts over. */
  rejoined(owned: readonly number[], probe: BacklogProbe): void {
    this.watermark.clear();
    this.owned = owned;
    this.probe = probe;
  }

  observe(partition: number, periodStartMs: number, recordId: string): void {
    this.watermark.observe(partition, periodStartMs, recordId);
  }

  /** Days (YYYY-MM-DD) among `openDays` that may close now. */
  async closable(openDays: Iterable<string>, graceMs: number): Promise<string[]> {
    const days = this.watermark.closable(openDays, graceMs);
    if (days.length === 0) return days;
    const unseen = this.owned.filter((partition) => !this.watermark.has(partition));
    if (unseen.length === 0) return days;
    // When the backlog cannot be read, wait: closing late is safe, closing early is not.
    const behind = await this.probe(unseen).catch(() => unseen);
    return behind.length > 0 ? [] : days;
  }
}
