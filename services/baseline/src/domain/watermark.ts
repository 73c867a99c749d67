/**
 * Event-time watermark over the partitions an aggregator has seen: the smallest of each
 * partition's latest period end. A day is closed only when every partition that carries
 * data has moved past it (plus a grace period), so a lagging partition cannot make a
 * baseline miss records — which keeps replay and live processing identical. Owned
 * partitions not seen yet are DayClock's concern.
 */
export class Watermark {
  private readonly latest = new Map<number, number>();

  observe(partition: number, periodEndMs: number): void {
    const current = this.latest.get(partition);
    if (current === undefined || periodEndMs > current) this.latest.set(partition, periodEndMs);
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
