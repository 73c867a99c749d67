import { selectMedian } from '../statistics/select-kth';
import { SortedWindow } from '../statistics/sorted-window';
import { TimeRingBuffer } from '../statistics/time-ring-buffer';
import { oneMonthEarlier } from '../time/calendar-month';
import { MS } from '../time/duration';
import { seasonalSlot, slotCount, type SeasonalLayout } from '../time/seasonal-slot';
import type { BaselineStats, SeasonalProfile } from './baseline-stats';

export interface RollingBaselineOptions {
  readonly windowMs: number;
  readonly seasonal: SeasonalLayout | null;
  /** Keep a month and a bit of history for `valueOneMonthBefore` (the recurring-charge guard). */
  readonly keepPreviousMonth: boolean;
}

/** Extra history kept beyond one month so the same instant last month is still present. */
const PREVIOUS_MONTH_SPAN_MS = 32 * MS.day;

/**
 * The streaming counterpart of `computeBaseline`: the same statistics over a trailing window,
 * maintained incrementally as points arrive (running sums for mean/std, sorted windows for the
 * median/MAD and for each seasonal slot). `snapshot(asOf)` evicts what fell out of
 * `[asOf − window, asOf)` and returns the statistics of what is left — equal to
 * `computeBaseline` over the same points (to float rounding for mean and std).
 */
export class RollingBaseline {
  private readonly history = new TimeRingBuffer();
  /** Age index in `history` of the oldest point inside the statistics window. */
  private statsStart = 0;
  private readonly sorted = new SortedWindow();
  private shift = Number.NaN;
  private sum = 0;
  private sumSquares = 0;
  private updatesSinceExact = 0;
  /** Start of the history kept after the last drift rebuild (−∞ when never rebuilt). */
  private rebuiltFromMs = Number.NEGATIVE_INFINITY;
  private readonly slots: SortedWindow[] = [];
  private readonly slotStats: MutableSeasonalProfile | null;
  private readonly view: BaselineView;
  private readonly retainMs: number;

  constructor(private readonly options: RollingBaselineOptions) {
    const layout = options.seasonal;
    if (layout === null) {
      this.slotStats = null;
    } else {
      const slots = slotCount(layout);
      for (let s = 0; s < slots; s++) this.slots.push(new SortedWindow(8));
      this.slotStats = new MutableSeasonalProfile(layout, slots);
    }
    this.view = new BaselineView(this.sorted);
    this.retainMs = options.keepPreviousMonth ? Math.max(options.windowMs, PREVIOUS_MONTH_SPAN_MS) : options.windowMs;
  }

  /** Number of points currently inside the statistics window. */
  get count(): number {
    return this.history.size - this.statsStart;
  }

  /** Adds an observation (timestamps must not decrease; non-finite values are skipped). */
  add(timestampMs: number, value: number): void {
    if (!Number.isFinite(value)) return;
    this.history.push(timestampMs, value);
    if (Number.isNaN(this.shift)) this.shift = value;
    const d = value - this.shift;
    this.sum += d;
    this.sumSquares += d * d;
    this.updatesSinceExact++;
    this.sorted.insert(value);
    if (this.slotStats !== null) this.slotAdd(seasonalSlot(timestampMs, this.slotStats.layout), value);
  }

  /**
   * Forgets all but the newest `keep` points — the rebuild after a drift detector finds that
   * the series' level has changed and the older history no longer describes it.
   */
  keepLatest(keep: number): void {
    if (this.count <= keep) return;
    let lastEvictedMs = Number.NEGATIVE_INFINITY;
    while (this.count > keep) lastEvictedMs = this.evictOldestFromStats();
    this.rebuiltFromMs = this.count > 0 ? this.history.timeAt(this.statsStart) : lastEvictedMs + 1;
  }

  /** The value stored at the same instant one calendar month before `timestampMs`, or NaN. */
  valueOneMonthBefore(timestampMs: number): number {
    const earlier = oneMonthEarlier(timestampMs);
    return Number.isNaN(earlier) ? Number.NaN : this.history.valueAtTime(earlier);
  }

  /**
   * Statistics of the points in `[asOf − window, asOf)`. The returned object is reused: it is
   * valid until the next call.
   */
  snapshot(asOfMs: number): BaselineStats {
    const windowStart = asOfMs - this.options.windowMs;
    while (this.count > 0 && this.history.timeAt(this.statsStart) < windowStart) this.evictOldestFromStats();
    while (this.statsStart > 0 && this.history.timeAt(0) < asOfMs - this.retainMs) {
      this.history.shift();
      this.statsStart--;
    }
    const n = this.count;
    if (this.updatesSinceExact > Math.max(n, 1024)) this.resumStatistics();
    const view = this.view;
    view.windowStartMs = Math.min(asOfMs, Math.max(windowStart, this.rebuiltFromMs));
    view.asOfMs = asOfMs;
    view.count = n;
    if (n === 0) {
      view.mean = view.std = view.median = view.mad = Number.NaN;
    } else {
      const meanOffset = this.sum / n;
      view.mean = this.shift + meanOffset;
      view.std = n > 1 ? Math.sqrt(Math.max(0, (this.sumSquares - this.sum * meanOffset) / (n - 1))) : 0;
      view.median = this.sorted.median();
      view.mad = this.sorted.medianAbsoluteDeviation(view.median);
    }
    view.invalidateMeanAbsDev();
    view.seasonal = this.slotStats === null ? undefined : this.refreshSeasonal(this.slotStats);
    return view;
  }

  private refreshSeasonal(profile: MutableSeasonalProfile): SeasonalProfile {
    if (!profile.dirty) return profile;
    for (let s = 0; s < this.slots.length; s++) {
      if (profile.dirtySlots[s] === 0) continue;
      profile.dirtySlots[s] = 0;
      const window = this.slots[s] as SortedWindow;
      const m = window.median();
      profile.count[s] = window.size;
      profile.median[s] = m;
      profile.mad[s] = window.medianAbsoluteDeviation(m);
    }
    let k = 0;
    for (let s = 0; s < this.slots.length; s++) {
      if ((profile.count[s] as number) >= 2) profile.scratch[k++] = profile.mad[s] as number;
    }
    profile.pooledMad = selectMedian(profile.scratch, 0, k);
    profile.dirty = false;
    return profile;
  }

  /** Returns the evicted point's timestamp. */
  private evictOldestFromStats(): number {
    const t = this.history.timeAt(this.statsStart);
    const value = this.history.valueAt(this.statsStart);
    this.statsStart++;
    const d = value - this.shift;
    this.sum -= d;
    this.sumSquares -= d * d;
    this.updatesSinceExact++;
    this.sorted.remove(value);
    if (this.slotStats !== null) {
      const slot = seasonalSlot(t, this.slotStats.layout);
      (this.slots[slot] as SortedWindow).remove(value);
      this.slotStats.touch(slot);
    }
    if (this.count === 0) {
      this.shift = Number.NaN;
      this.sum = 0;
      this.sumSquares = 0;
    }
    return t;
  }

  private slotAdd(slot: number, value: number): void {
    (this.slots[slot] as SortedWindow).insert(value);
    (this.slotStats as MutableSeasonalProfile).touch(slot);
  }

  /** Running sums drift with cancellation over many add/remove pairs; recentre and re-add. */
  private resumStatistics(): void {
    const n = this.count;
    this.shift = n > 0 ? this.sorted.median() : Number.NaN;
    this.sum = 0;
    this.sumSquares = 0;
    for (let k = this.statsStart; k < this.history.size; k++) {
      const d = this.history.valueAt(k) - this.shift;
      this.sum += d;
      this.sumSquares += d * d;
    }
    this.updatesSinceExact = 0;
  }
}

class MutableSeasonalProfile implements SeasonalProfile {
  readonly median: Float64Array;
  readonly mad: Float64Array;
  readonly count: Float64Array;
  readonly dirtySlots: Uint8Array;
  readonly scratch: Float64Array;
  pooledMad = Number.NaN;
  dirty = false;

  constructor(
    readonly layout: SeasonalLayout,
    slots: number,
  ) {
    this.median = new Float64Array(slots).fill(Number.NaN);
    this.mad = new Float64Array(slots).fill(Number.NaN);
    this.count = new Float64Array(slots);
    this.dirtySlots = new Uint8Array(slots);
    this.scratch = new Float64Array(slots);
  }

  touch(slot: number): void {
    this.dirtySlots[slot] = 1;
    this.dirty = true;
  }
}

/** The snapshot object; the mean absolute deviation is O(n), so it is computed only if read. */
class BaselineView implements BaselineStats {
  windowStartMs = 0;
  asOfMs = 0;
  count = 0;
  mean = Number.NaN;
  std = Number.NaN;
  median = Number.NaN;
  mad = Number.NaN;
  seasonal: SeasonalProfile | undefined = undefined;
  private cachedMeanAbsDev = Number.NaN;
  private meanAbsDevValid = false;

  constructor(private readonly sorted: SortedWindow) {}

  get meanAbsDev(): number {
    if (!this.meanAbsDevValid) {
      this.cachedMeanAbsDev = this.sorted.meanAbsoluteDeviation(this.median);
      this.meanAbsDevValid = true;
    }
    return this.cachedMeanAbsDev;
  }

  invalidateMeanAbsDev(): void {
    this.meanAbsDevValid = false;
  }
}
