import { selectMedian } from './select-kth';

/**
 * Exact batch statistics over a sample. Baselines stored for the detector service are built
 * with these, and the streaming trackers are tested against them.
 */

/** Scale factor that makes the MAD a consistent estimator of σ for normal data. */
export const MAD_TO_SIGMA = 1.4826;
/** Same for the mean absolute deviation, the fallback when more than half the sample is tied. */
export const MEAN_AD_TO_SIGMA = 1.2533;

/** Arithmetic mean, summed in order. NaN for an empty sample. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum / n;
}

/**
 * Sample standard deviation (n − 1 denominator, like pandas' default), two-pass for accuracy.
 * A single value has no spread: 0. NaN for an empty sample.
 */
export function sampleStd(values: ArrayLike<number>, knownMean = mean(values)): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - knownMean;
    squares += d * d;
  }
  return Math.sqrt(squares / (n - 1));
}

/** Median (mean of the two middle values for an even count). Does not modify the input. */
export function median(values: ArrayLike<number>): number {
  return selectMedian(Float64Array.from(values));
}

/** Median absolute deviation from the median (unscaled). Does not modify the input. */
export function medianAbsoluteDeviation(values: ArrayLike<number>, knownMedian = median(values)): number {
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs((values[i] as number) - knownMedian);
  return selectMedian(deviations);
}

/** Mean absolute deviation from a centre (the median by default). */
export function meanAbsoluteDeviation(values: ArrayLike<number>, centre = median(values)): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((values[i] as number) - centre);
  return sum / n;
}
