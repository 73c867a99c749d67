/**
 * Event-time watermark over the partitions an aggregator has seen: the smallest of each
 * partition's latest record start. A partition has moved past midnight only once it
 * delivers a record that starts at or after it: records of one day may come in any order
 * (a replayed day is read back sorted by id) and a batch may end anywhere in a day, so a
 * record ending at midnight says nothing about the day's other records. A day is closed
 * only when every partition that carries data has moved past it (plus a grace period), so
 * neither a lagging partition nor a half-read day can make a baseline miss records — which
 * keeps replay and live processing identical. Owned partitions not seen yet are DayClock's
 * concern.
 */
export class Watermark {
  private readonly latest = new Map<number, number>();

  /** A record of `partition` starting at `periodStartMs` was read. */
  observe(partition: number, periodStartMs: number): void {
    const current = this.latest.get(partition);
    if (current === undefined || periodStartMs > current) this.latest.set(partition, periodStartMs);
  }

  has(partition: number): boolean {
    return this.latest.has(partition);
  }

  clear(): void {
    this.latest.clear();
  }

  /** Milliseconds, or undefined before any data. */
  get value(): number | undefined {
    return this.latest.size === 0 ? undefined : Math.min(...this.latest.values());
  }

  /** Days (YYYY-MM-DD) among `openDays` that may close: their next midnight + grace is at or before the watermark. */
  closable(openDays: Iterable<string>, graceMs: number): string[] {
    const watermark = this.value;
    if (watermark === undefined) return [];
    return [...openDays].filter((day) => Date.parse(`${day}T00:00:00Z`) + 86_400_000 + graceMs <= watermark).sort();
  }
}
