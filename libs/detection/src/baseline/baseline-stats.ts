import type { SeasonalLayout } from '../time/seasonal-slot';

/**
 * Per-slot statistics of a repeating period (hour-of-week for hourly billing). Arrays are
 * indexed by `seasonalSlot(t, layout)`; plain arrays when built by `computeBaseline` so the
 * object stores as-is in MongoDB.
 */
export interface SeasonalProfile {
  readonly layout: SeasonalLayout;
  /** Median of the slot's values; NaN for a slot with no values. */
  readonly median: ArrayLike<number>;
  /** Unscaled median absolute deviation of the slot's values; NaN for an empty slot. */
  readonly mad: ArrayLike<number>;
  readonly count: ArrayLike<number>;
  /**
   * Median of the slot MADs over slots holding at least two values (unscaled). One week-slot
   * sees only ~4 values in 30 days, so its own MAD is a poor scale on its own; pooling gives a
   * stable one that the slot's MAD can only raise.
   */
  readonly pooledMad: number;
}

/**
 * The values at the same instants one calendar month earlier, covering the day being judged,
 * so that a charge which recurs monthly (month-start purchases) is recognised as expected.
 */
export interface PreviousMonthValues {
  /** Timestamp that `values[0]` corresponds to, shifted forward by one month (i.e. in the judged day). */
  readonly startMs: number;
  readonly stepMs: number;
  /** NaN where last month has no data. */
  readonly values: ArrayLike<number>;
}

/**
 * What a detector knows about a series' normal behaviour, built only from observations in
 * `[windowStartMs, asOfMs)`. The detector service stores one per series "as of" each closed day
 * and judges day D's hours against the baseline as of D (built from data before D): that is the
 * no-look-ahead invariant.
 */
export interface BaselineStats {
  readonly windowStartMs: number;
  /** Exclusive end: every observation used is strictly earlier. */
  readonly asOfMs: number;
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly std: number;
  readonly median: number;
  /** Unscaled median absolute deviation from the median. */
  readonly mad: number;
  /** Mean absolute deviation from the median: the robust scale's fallback when MAD is 0. */
  readonly meanAbsDev: number;
  readonly min: number;
  readonly max: number;
  readonly seasonal?: SeasonalProfile;
  readonly previousMonth?: PreviousMonthValues;
}
