import { selectMedian } from '../statistics/select-kth';
import { SortedWindow } from '../statistics/sorted-window';
import { TimeRingBuffer } from '../statistics/time-ring-buffer';
import { oneMonthEarlier } from '../time/calendar-month';
import { MS } from '../time/duration';
import { seasonalSlot, slotCount, type SeasonalLayout } from '../time/seasonal-slot';
import type { BaselineStats, SeasonalProfile } from './baseline-stats';
import { WindowSummariser } from './window-summariser';

export interface RollingBaselineOptions {
  readonly windowMs: number;
  readonly seasonal: SeasonalLayout | null;
  /** Keep a month and a bit of history for `valueOneMonthBefore` (the recurring-charge guard). */
  readonly keepPreviousMonth: boolean;
  /** See `BaselineOptions.skipLeadingZeros`. */
  readonly skipLeadingZeros?: boolean;
  /**
   * true: maintain order statistics on every point (sorted windows, running sums), for a
   * snapshot before every point. false: only keep the history and rebuild each snapshot with
   * the batch kernel — cheaper when snapshots are rare (daily), and bit-identical to
   * `computeBaseline`.
   */
  readonly incremental: boolean;
}

/** Extra history kept beyond one month so the same instant last month is still present. */
const PREVIOUS_MONTH_SPAN_MS = 32 * MS.day;

/**
 * The streaming counterpart of `computeBaseline`: the same statistics over a trailing window as
 * points arrive. `snapshot(asOf)` evicts what fell out of `[asOf − window, asOf)` and returns
 * the statistics of what is left. Seasonal slots are always maintained point by point (small
 * sorted windows; exactly equal to the batch profile). The overall statistics are too in
 * incremental mode (running sums for mean/std — equal to rounding — and a sorted window for
 * the median/MAD/range — exactly equal); otherwise each snapshot runs the batch kernel over
 * the window (bit-identical to `computeBaseline`).
 */
export class RollingBaseline {
  private readonly history = new TimeRingBuffer();
  /** Age index in `history` of the oldest point inside the statistics window. */
  private statsStart = 0;
  /** Start of the history kept after the last drift rebuild (−∞ when never rebuilt). */
  private rebuiltFromMs = Number.NEGATIVE_INFINITY;
  private readonly view = new BaselineView();
  private monthShiftDay = Number.NaN;
  private monthShiftMs = Number.NaN;
  private readonly retainMs: number;
  private readonly orderStatistics: OrderStatistics | null;
  private readonly summariser: WindowSummariser | null;
  /** Seasonal slots are small, so they are kept up to date point by point in both modes. */
  private readonly slotStatistics: SlotStatistics | null;

  constructor(private readonly options: RollingBaselineOptions) {
    this.retainMs = options.keepPreviousMonth ? Math.max(options.windowMs, PREVIOUS_MONTH_SPAN_MS) : options.windowMs;
    this.orderStatistics = options.incremental ? new OrderStatistics() : null;
    this.summariser = options.incremental ? null : new WindowSummariser(null);
    this.slotStatistics = options.seasonal === null ? null : new SlotStatistics(options.seasonal);
  }

  /** Number of points currently inside the statistics window. */
  get count(): number {
    return this.history.size - this.statsStart;
  }

  /** Adds an observation (timestamps must not decrease; non-finite values are skipped). */
  add(timestampMs: number, value: number): void {
    if (!Number.isFinite(value)) return;
    this.history.push(timestampMs, value);
    this.orderStatistics?.add(value);
    this.slotStatistics?.add(timestampMs, value);
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
    // UTC days have no DST: the shift back to last month is the same for a whole day, so the
    // calendar arithmetic runs once a day rather than per point.
    const day = Math.floor(timestampMs / MS.day);
    if (day !== this.monthShiftDay) {
      this.monthShiftDay = day;
      this.monthShiftMs = day * MS.day - oneMonthEarlier(day * MS.day);
    }
    return Number.isNaN(this.monthShiftMs) ? Number.NaN : this.history.valueAtTime(timestampMs - this.monthShiftMs);
  }

  /**
   * Statistics of the points in `[asOf − window, asOf)`. The returned object is reused: it is
   * valid until the next call.
   */
  snapshot(asOfMs: number): BaselineStats {
    const windowStart = asOfMs - this.options.windowMs;
    while (this.count > 0 && this.history.timeAt(this.statsStart) < windowStart) this.evictOldestFromStats();
    if (this.options.skipLeadingZeros === true) {
      while (this.count > 0 && this.history.valueAt(this.statsStart) === 0) this.evictOldestFromStats();
    }
    while (this.statsStart > 0 && this.history.timeAt(0) < asOfMs - this.retainMs) {
      this.history.shift();
      this.statsStart--;
    }
    const view = this.view;
    view.windowStartMs = Math.min(asOfMs, Math.max(windowStart, this.rebuiltFromMs));
    view.asOfMs = asOfMs;
    if (this.summariser !== null) {
      const from = this.history.head + this.statsStart;
      const summary = this.summariser.summarise(this.history.values, this.history.times, from, from + this.count);
      view.count = summary.count;
      view.mean = summary.mean;
      view.std = summary.std;
      view.median = summary.median;
      view.mad = summary.mad;
      view.meanAbsDev = summary.meanAbsDev;
      view.min = summary.min;
      view.max = summary.max;
    } else {
      (this.orderStatistics as OrderStatistics).fill(view, this.history, this.statsStart);
    }
    view.seasonal = this.slotStatistics?.profile();
    return view;
  }

  /** Returns the evicted point's timestamp. */
  private evictOldestFromStats(): number {
    const t = this.history.timeAt(this.statsStart);
    const value = this.history.valueAt(this.statsStart);
    this.statsStart++;
    this.orderStatistics?.remove(value, this.count);
    this.slotStatistics?.remove(t, value);
    return t;
  }
}

/** Point-by-point mean/std/median/MAD/range for the incremental mode. */
class OrderStatistics {
  private readonly sorted = new SortedWindow();
  private shift = Number.NaN;
  private sum = 0;
  private sumSquares = 0;
  private updatesSinceExact = 0;

  add(value: number): void {
    if (Number.isNaN(this.shift)) this.shift = value;
    const d = value - this.shift;
    this.sum += d;
    this.sumSquares += d * d;
    this.updatesSinceExact++;
    this.sorted.insert(value);
  }

  /** `remaining` is the count after the removal. */
  remove(value: number, remaining: number): void {
    const d = value - this.shift;
    this.sum -= d;
    this.sumSquares -= d * d;
    this.updatesSinceExact++;
    this.sorted.remove(value);
    if (remaining === 0) {
      this.shift = Number.NaN;
      this.sum = 0;
      this.sumSquares = 0;
    }
  }

  fill(view: BaselineView, history: TimeRingBuffer, statsStart: number): void {
    const n = this.sorted.size;
    // Running sums drift with cancellation over many add/remove pairs: recentre and re-add.
    if (this.updatesSinceExact > Math.max(n, 1024)) this.resum(history, statsStart);
    view.count = n;
    if (n === 0) {
      view.mean = view.std = view.median = view.mad = view.min = view.max = Number.NaN;
    } else {
      const meanOffset = this.sum / n;
      view.mean = this.shift + meanOffset;
      view.std = n > 1 ? Math.sqrt(Math.max(0, (this.sumSquares - this.sum * meanOffset) / (n - 1))) : 0;
      view.median = this.sorted.median();
      view.mad = this.sorted.medianAbsoluteDeviation(view.median);
      view.min = this.sorted.at(0);
      view.max = this.sorted.at(n - 1);
    }
    // O(n), and scoring reads it only when the MAD is 0 (robust-scale fallback, all-zero test).
    view.meanAbsDev = view.mad === 0 ? this.sorted.meanAbsoluteDeviation(view.median) : Number.NaN;
  }

  private resum(history: TimeRingBuffer, statsStart: number): void {
    this.shift = this.sorted.size > 0 ? this.sorted.median() : Number.NaN;
    this.sum = 0;
    this.sumSquares = 0;
    for (let k = statsStart; k < history.size; k++) {
      const d = history.valueAt(k) - this.shift;
      this.sum += d;
      this.sumSquares += d * d;
    }
    this.updatesSinceExact = 0;
  }
}

/**
 * A small sorted run per seasonal slot (an hour-of-week slot holds ~4 values of a 30-day
 * window), all in one flat Float64Array with a fixed capacity per slot (doubled for every slot
 * when one overflows): a point costs a few moves in memory that sits together, and a snapshot
 * recomputes only the slots that changed.
 */
class SlotStatistics {
  private capacity = 8;
  private data: Float64Array;
  private readonly sizes: Int32Array;
  private readonly seasonal: MutableSeasonalProfile;

  constructor(layout: SeasonalLayout) {
    const slots = slotCount(layout);
    this.sizes = new Int32Array(slots);
    this.data = new Float64Array(slots * this.capacity);
    this.seasonal = new MutableSeasonalProfile(layout, slots);
  }

  add(timestampMs: number, value: number): void {
    const slot = seasonalSlot(timestampMs, this.seasonal.layout);
    if ((this.sizes[slot] as number) === this.capacity) this.grow();
    const base = slot * this.capacity;
    const size = this.sizes[slot] as number;
    const i = this.lowerBound(base, size, value);
    this.data.copyWithin(i + 1, i, base + size);
    this.data[i] = value;
    this.sizes[slot] = size + 1;
    this.seasonal.touch(slot);
  }

  remove(timestampMs: number, value: number): void {
    const slot = seasonalSlot(timestampMs, this.seasonal.layout);
    const base = slot * this.capacity;
    const size = this.sizes[slot] as number;
    const i = this.lowerBound(base, size, value);
    if (i >= base + size || this.data[i] !== value) return;
    this.data.copyWithin(i, i + 1, base + size);
    this.sizes[slot] = size - 1;
    this.seasonal.touch(slot);
  }

  profile(): SeasonalProfile {
    const profile = this.seasonal;
    if (!profile.dirty) return profile;
    const slots = this.sizes.length;
    for (let s = 0; s < slots; s++) {
      if (profile.dirtySlots[s] === 0) continue;
      profile.dirtySlots[s] = 0;
      const n = this.sizes[s] as number;
      profile.count[s] = n;
      if (n === 0) {
        profile.median[s] = Number.NaN;
        profile.mad[s] = Number.NaN;
        continue;
      }
      // Sorted run: the median is read directly; the MAD needs the deviations' median.
      const base = s * this.capacity;
      const mid = base + (n >> 1);
      const m = n % 2 === 1 ? (this.data[mid] as number) : ((this.data[mid - 1] as number) + (this.data[mid] as number)) / 2;
      for (let i = 0; i < n; i++) profile.scratch[i] = Math.abs((this.data[base + i] as number) - m);
      profile.median[s] = m;
      profile.mad[s] = selectMedian(profile.scratch, 0, n);
    }
    let k = 0;
    for (let s = 0; s < slots; s++) {
      if ((profile.count[s] as number) >= 2) profile.pooled[k++] = profile.mad[s] as number;
    }
    profile.pooledMad = selectMedian(profile.pooled, 0, k);
    profile.dirty = false;
    return profile;
  }

  private lowerBound(base: number, size: number, value: number): number {
    let lo = base;
    let hi = base + size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.data[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const data = new Float64Array(this.sizes.length * capacity);
    for (let s = 0; s < this.sizes.length; s++) {
      data.set(this.data.subarray(s * this.capacity, s * this.capacity + (this.sizes[s] as number)), s * capacity);
    }
    this.data = data;
    this.capacity = capacity;
    this.seasonal.ensureScratch(capacity);
  }
}

class MutableSeasonalProfile implements SeasonalProfile {
  readonly median: Float64Array;
  readonly mad: Float64Array;
  readonly count: Float64Array;
  readonly dirtySlots: Uint8Array;
  /** Deviations of one slot. */
  scratch: Float64Array;
  /** MADs of the slots that hold two or more values. */
  readonly pooled: Float64Array;
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
    this.scratch = new Float64Array(8);
    this.pooled = new Float64Array(slots);
  }

  touch(slot: number): void {
    this.dirtySlots[slot] = 1;
    this.dirty = true;
  }

  ensureScratch(size: number): void {
    if (this.scratch.length < size) this.scratch = new Float64Array(size);
  }
}

/**
 * The reused snapshot object. In incremental mode `meanAbsDev` is computed only when the MAD
 * is 0 — the only case where scoring reads it — and is NaN otherwise.
 */
class BaselineView implements BaselineStats {
  windowStartMs = 0;
  asOfMs = 0;
  count = 0;
  mean = Number.NaN;
  std = Number.NaN;
  median = Number.NaN;
  mad = Number.NaN;
  meanAbsDev = Number.NaN;
  min = Number.NaN;
  max = Number.NaN;
  seasonal: SeasonalProfile | undefined = undefined;
}
