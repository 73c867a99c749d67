import { selectMedian } from '../statistics/select-kth';
import { seasonalSlot, slotCount, type SeasonalLayout } from '../time/seasonal-slot';

/** The statistics of one history window, in reusable typed arrays. */
export interface WindowSummary {
  count: number;
  mean: number;
  std: number;
  median: number;
  mad: number;
  meanAbsDev: number;
  min: number;
  max: number;
  /** Per-slot statistics; undefined without a seasonal layout. */
  readonly slots: SlotSummary | undefined;
}

export interface SlotSummary {
  readonly layout: SeasonalLayout;
  readonly median: Float64Array;
  readonly mad: Float64Array;
  readonly count: Float64Array;
  pooledMad: number;
}

/**
 * The batch kernel shared by `computeBaseline` (the baseline job) and the streaming baseline's
 * periodic rebuilds, so both produce bit-identical statistics for the same window: sums in
 * time order, medians by quickselect, the seasonal profile by a counting sort into slots.
 * Scratch arrays are kept and grown, so a daily rebuild allocates nothing.
 */
export class WindowSummariser {
  readonly summary: WindowSummary;
  private scratch = new Float64Array(64);
  private slotOf = new Int32Array(64);
  private readonly offsets: Int32Array | null;

  constructor(layout: SeasonalLayout | null) {
    const slots = layout === null ? 0 : slotCount(layout);
    this.offsets = layout === null ? null : new Int32Array(slots + 1);
    this.summary = {
      count: 0,
      mean: Number.NaN,
      std: Number.NaN,
      median: Number.NaN,
      mad: Number.NaN,
      meanAbsDev: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      slots:
        layout === null
          ? undefined
          : {
              layout,
              median: new Float64Array(slots),
              mad: new Float64Array(slots),
              count: new Float64Array(slots),
              pooledMad: Number.NaN,
            },
    };
  }

  /** Summarises `values[from..to)` (in time order) with their timestamps. */
  summarise(values: ArrayLike<number>, times: ArrayLike<number>, from: number, to: number): WindowSummary {
    const n = Math.max(0, to - from);
    const out = this.summary;
    out.count = n;
    if (this.scratch.length < n) {
      this.scratch = new Float64Array(n * 2);
      this.slotOf = new Int32Array(n * 2);
    }
    const scratch = this.scratch;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = values[from + i] as number;
      scratch[i] = v;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (n === 0) {
      out.mean = out.std = out.median = out.mad = out.meanAbsDev = out.min = out.max = Number.NaN;
    } else {
      const mean = sum / n;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const d = (values[from + i] as number) - mean;
        squares += d * d;
      }
      const median = selectMedian(scratch, 0, n);
      let absDevSum = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.abs((values[from + i] as number) - median);
        scratch[i] = d;
        absDevSum += d;
      }
      out.mean = mean;
      out.std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
      out.median = median;
      out.mad = selectMedian(scratch, 0, n);
      out.meanAbsDev = absDevSum / n;
      out.min = min;
      out.max = max;
    }
    if (out.slots !== undefined) this.summariseSlots(out.slots, values, times, from, n);
    return out;
  }

  private summariseSlots(slots: SlotSummary, values: ArrayLike<number>, times: ArrayLike<number>, from: number, n: number): void {
    const offsets = this.offsets as Int32Array;
    const { count, median, mad, layout } = slots;
    const slotTotal = count.length;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const s = seasonalSlot(times[from + i] as number, layout);
      this.slotOf[i] = s;
      count[s] = (count[s] as number) + 1;
    }
    offsets[0] = 0;
    for (let s = 0; s < slotTotal; s++) offsets[s + 1] = (offsets[s] as number) + (count[s] as number);
    // Counting sort: each slot's values become contiguous in scratch (time order kept).
    const scratch = this.scratch;
    for (let i = 0; i < n; i++) {
      const s = this.slotOf[i] as number;
      const at = (offsets[s + 1] as number) - (count[s] as number);
      scratch[at] = values[from + i] as number;
      count[s] = (count[s] as number) - 1;
    }
    let pooled = 0;
    for (let s = 0; s < slotTotal; s++) {
      const lo = offsets[s] as number;
      const hi = offsets[s + 1] as number;
      count[s] = hi - lo;
      if (hi === lo) {
        median[s] = Number.NaN;
        mad[s] = Number.NaN;
        continue;
      }
      const m = selectMedian(scratch, lo, hi);
      for (let i = lo; i < hi; i++) scratch[i] = Math.abs((scratch[i] as number) - m);
      const d = selectMedian(scratch, lo, hi);
      median[s] = m;
      mad[s] = d;
      if (hi - lo >= 2) pooled++;
    }
    // Median of the MADs of slots holding two or more values (scratch is free again).
    let k = 0;
    for (let s = 0; s < slotTotal; s++) if ((count[s] as number) >= 2) scratch[k++] = mad[s] as number;
    slots.pooledMad = pooled === 0 ? Number.NaN : selectMedian(scratch, 0, k);
  }
}
