import { oneMonthEarlier } from '../time/calendar-month';
import { MS } from '../time/duration';
import { HOUR_OF_WEEK, type SeasonalLayout } from '../time/seasonal-slot';
import type { BaselineStats, PreviousMonthValues } from './baseline-stats';
import { WindowSummariser } from './window-summariser';

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
  /**
   * Start the history at the first non-zero value in the window: hours before a service ever
   * cost anything are not its history, and keeping them would make every hour of a new service
   * look anomalous until they age out. Default false.
   */
  readonly skipLeadingZeros?: boolean;
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
  let started = options.skipLeadingZeros !== true;
  for (let i = 0; i < values.length; i++) {
    const t = timestamps[i] as number;
    const v = values[i] as number;
    if (t >= windowStartMs && t < asOfMs && Number.isFinite(v)) {
      started ||= v !== 0;
      if (!started) continue;
      window.push(v);
      windowTimes.push(t);
    }
  }
  const summary = new WindowSummariser(layout).summarise(window, windowTimes, 0, window.length);
  const slots = summary.slots;
  return {
    windowStartMs,
    asOfMs,
    count: summary.count,
    mean: summary.mean,
    std: summary.std,
    median: summary.median,
    mad: summary.mad,
    meanAbsDev: summary.meanAbsDev,
    min: summary.min,
    max: summary.max,
    // Plain arrays, so the baseline stores in MongoDB as it is.
    ...(slots === undefined
      ? {}
      : {
          seasonal: {
            layout: slots.layout,
            median: Array.from(slots.median),
            mad: Array.from(slots.mad),
            count: Array.from(slots.count),
            pooledMad: slots.pooledMad,
          },
        }),
    ...(options.previousMonth ? { previousMonth: previousMonthValues(values, timestamps, asOfMs, options.previousMonth) } : {}),
  };
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
