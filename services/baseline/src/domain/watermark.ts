/**
 * How far ahead of the wall clock a record may start and still move the watermark. Billing
 * covers periods that have begun; a later start is a clock error or a hostile record and
 * must not close days.
 */
export const MAX_EVENT_TIME_LEAD_MS = 3_600_000;

/** How far one record alone may move its partition's progress: a daily record's step. */
export const MAX_SINGLE_STEP_MS = 86_400_000;

/** Per partition: the latest start and its record, and the latest start of any other record. */
interface PartitionProgress {
  latest: number;
  latestId: string;
  runnerUp: number | undefined;
}

/**
 * Event-time watermark over the partitions an aggregator has seen: the smallest of each
 * partition's progress. A partition has moved past midnight only once it delivers records
 * that start at or after it: records of one day may come in any order (a replayed day is
 * read back sorted by id) and a batch may end anywhere in a day, so a record ending at
 * midnight says nothing about the day's other records. A day is closed only when every
 * partition that carries data has moved past it (plus a grace period), so neither a
 * lagging partition nor a half-read day can make a baseline miss records — which keeps
 * replay and live processing identical. Owned partitions not seen yet are DayClock's
 * concern.
 *
 * Outliers never move it far: a partition's progress is its latest start when that is at
 * most MAX_SINGLE_STEP_MS past the start of its second-latest record (one record alone
 * counts as itself), and that second-latest start otherwise. So a single record far ahead of
 * the rest — year 9999, or a plausible date months ahead of a backfill — cannot close days,
 * while a partition carrying one daily series is not held a day behind; the same record
 * delivered again does not count twice. A start more than MAX_EVENT_TIME_LEAD_MS ahead of
 * the wall clock is not observed at all.
 */
export class Watermark {
  private readonly progress = new Map<number, PartitionProgress>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Record `recordId` of `partition`, starting at `periodStartMs`, was read. */
  observe(partition: number, periodStartMs: number, recordId: string): void {
    if (periodStartMs > this.now() + MAX_EVENT_TIME_LEAD_MS) return;
    const current = this.progress.get(partition);
    if (current === undefined) {
      this.progress.set(partition, { latest: periodStartMs, latestId: recordId, runnerUp: undefined });
    } else if (recordId === current.latestId) {
      return;
    } else if (periodStartMs > current.latest) {
      current.runnerUp = current.latest;
      current.latest = periodStartMs;
      current.latestId = recordId;
    } else if (current.runnerUp === undefined || periodStartMs > current.runnerUp) {
      current.runnerUp = periodStartMs;
    }
  }

  has(partition: number): boolean {
    return this.progress.has(partition);
  }

  clear(): void {
    this.progress.clear();
  }

  /** Milliseconds, or undefined before any data. */
  get value(): number | undefined {
    if (this.progress.size === 0) return undefined;
    let slowest = Number.POSITIVE_INFINITY;
    for (const { latest, runnerUp } of this.progress.values()) slowest = Math.min(slowest, runnerUp === undefined || latest - runnerUp <= MAX_SINGLE_STEP_MS ? latest : runnerUp);
    return slowest;
  }

  /** Days (YYYY-MM-DD) among `openDays` that may close: their next midnight + grace is at or before the watermark. */
  closable(openDays: Iterable<string>, graceMs: number): string[] {
    const watermark = this.value;
    if (watermark === undefined) return [];
    return [...openDays].filter((day) => Date.parse(`${day}T00:00:00Z`) + 86_400_000 + graceMs <= watermark).sort();
  }
}
