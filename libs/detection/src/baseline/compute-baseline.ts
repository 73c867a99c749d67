import { mean, sampleStd } from '../statistics/descriptive-statistics';
import { selectMedian } from '../statistics/select-kth';
import { oneMonthEarlier } from '../time/calendar-month';
import { MS } from '../time/duration';
import { HOUR_OF_WEEK, seasonalSlot, slotCount, type SeasonalLayout } from '../time/seasonal-slot';
import type { BaselineStats, PreviousMonthValues, SeasonalProfile } from './baseline-stats';

export interface BaselineOptions {
  /** Exclusive end of the history used; defaults to just after the last timestamp. */
  readonly asOfMs?: number;
  /** Length of the trailing history window; the seed rule's 30 days by default. */
  readonly windowMs?: number;
  /** Seasonal profile layout (hour-of-week by default); null for none. */
  readonly seasonal?: SeasonalLayout | null;
  /**
   * Also record last month's values for `[asOf, asOf + horizonMs)` at `stepMs` resolution (the
   * day about to be judged), for the recurring-charge guard. Needs a month of history before
   * the window in `values`; omitted → no previous-month values.
   */
  readonly previousMonth?: { readonly stepMs: number; readonly horizonMs: number } | null;
}

export const DEFAULT_BASELINE_WINDOW_MS = 30 * MS.day;

/**
 * Batch baseline of one series from its history: mean, sample std, median, MAD, mean absolute
 * deviation, seasonal profile and (optionally) last month's values. Only observations with
 * `asOf − window <= t < asOf` and a finite value count. This is what the baseline service stores
 * and what `evaluate` judges against; the streaming tracker reproduces the same numbers.
 */
export function computeBaseline(
  values: ArrayLike<number>,
  timestamps: ArrayLike<number>,
  options: BaselineOptions = {},
): BaselineStats {
  if (values.length !== timestamps.length) {
    throw new RangeError(`values (${values.length}) and timestamps (${timestamps.length}) differ in length`);
  }
  const asOfMs = options.asOfMs ?? lastTimestamp(timestamps) + 1;
  const windowStartMs = asOfMs - (options.windowMs ?? DEFAULT_BASELINE_WINDOW_MS);
  const layout = options.seasonal === undefined ? HOUR_OF_WEEK : options.seasonal;

  const window: number[] = [];
  const windowTimes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const t = timestamps[i] as number;
    const v = values[i] as number;
    if (t >= windowStartMs && t < asOfMs && Number.isFinite(v)) {
      window.push(v);
      windowTimes.push(t);
    }
  }
  const scratch = Float64Array.from(window);
  const centre = selectMedian(scratch);
  for (let i = 0; i < window.length; i++) scratch[i] = Math.abs((window[i] as number) - centre);
  const mad = selectMedian(scratch);
  const avg = mean(window);

  let absDevSum = 0;
  for (const v of window) absDevSum += Math.abs(v - centre);

  const baseline: BaselineStats = {
    windowStartMs,
    asOfMs,
    count: window.length,
    mean: avg,
    std: sampleStd(window, avg),
    median: centre,
    mad,
    meanAbsDev: window.length > 0 ? absDevSum / window.length : Number.NaN,
    ...(layout === null ? {} : { seasonal: seasonalProfile(window, windowTimes, layout) }),
    ...(options.previousMonth ? { previousMonth: previousMonthValues(values, timestamps, asOfMs, options.previousMonth) } : {}),
  };
  return baseline;
}

function seasonalProfile(window: readonly number[], times: readonly number[], layout: SeasonalLayout): SeasonalProfile {
  const slots = slotCount(layout);
  // Counting sort by slot so each slot's values are contiguous in one scratch array.
  const count = new Array<number>(slots).fill(0);
  const slotOf = new Int32Array(window.length);
  for (let i = 0; i < window.length; i++) {
    const s = seasonalSlot(times[i] as number, layout);
    slotOf[i] = s;
    count[s] = (count[s] as number) + 1;
  }
  const offset = new Int32Array(slots + 1);
  for (let s = 0; s < slots; s++) offset[s + 1] = (offset[s] as number) + (count[s] as number);
  const fill = offset.slice(0, slots);
  const grouped = new Float64Array(window.length);
  for (let i = 0; i < window.length; i++) {
    const s = slotOf[i] as number;
    grouped[fill[s] as number] = window[i] as number;
    fill[s] = (fill[s] as number) + 1;
  }

  const median = new Array<number>(slots).fill(Number.NaN);
  const mad = new Array<number>(slots).fill(Number.NaN);
  const pooled: number[] = [];
  for (let s = 0; s < slots; s++) {
    const from = offset[s] as number;
    const to = offset[s + 1] as number;
    if (to === from) continue;
    const m = selectMedian(grouped, from, to);
    for (let i = from; i < to; i++) grouped[i] = Math.abs((grouped[i] as number) - m);
    const d = selectMedian(grouped, from, to);
    median[s] = m;
    mad[s] = d;
    if (to - from >= 2) pooled.push(d);
  }
  return { layout, median, mad, count, pooledMad: selectMedian(Float64Array.from(pooled)) };
}

function previousMonthValues(
  values: ArrayLike<number>,
  timestamps: ArrayLike<number>,
  asOfMs: number,
  spec: { readonly stepMs: number; readonly horizonMs: number },
): PreviousMonthValues {
  const length = Math.max(1, Math.round(spec.horizonMs / spec.stepMs));
  const out = new Array<number>(length).fill(Number.NaN);
  const wanted = new Map<number, number>();
  for (let k = 0; k < length; k++) {
    const earlier = oneMonthEarlier(asOfMs + k * spec.stepMs);
    if (!Number.isNaN(earlier)) wanted.set(earlier, k);
  }
  for (let i = 0; i < values.length; i++) {
    const k = wanted.get(timestamps[i] as number);
    if (k !== undefined && Number.isFinite(values[i])) out[k] = values[i] as number;
  }
  return { startMs: asOfMs, stepMs: spec.stepMs, values: out };
}

function lastTimestamp(timestamps: ArrayLike<number>): number {
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < timestamps.length; i++) last = Math.max(last, timestamps[i] as number);
  return Number.isFinite(last) ? last : 0;
}

/** The value last month at the same instant as `timestampMs`, or NaN when unknown. */
export function previousMonthValueAt(baseline: BaselineStats, timestampMs: number): number {
  const previous = baseline.previousMonth;
  if (previous === undefined) return Number.NaN;
  const k = Math.round((timestampMs - previous.startMs) / previous.stepMs);
  if (k < 0 || k >= previous.values.length) return Number.NaN;
  return previous.values[k] as number;
}
