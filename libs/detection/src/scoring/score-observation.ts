import type { BaselineStats } from '../baseline/baseline-stats';
import { MAD_TO_SIGMA, MEAN_AD_TO_SIGMA } from '../statistics/descriptive-statistics';
import { seasonalSlot } from '../time/seasonal-slot';
import { SCORE_INDEX, type ScoreVector } from './score-vector';

/** Which baseline statistic is the "expected" value that deltas and impact are measured from. */
export type ExpectedValue = 'mean' | 'median' | 'seasonal';

/**
 * Lower bounds on every scale (std, robust and seasonal), so that a history that is flat to the
 * cent does not turn a one-cent change into an infinite z. `relative` is a fraction of |centre|.
 * With both 0 (the default) a zero scale is kept and the z rule below applies.
 */
export interface ScaleFloor {
  readonly absolute: number;
  readonly relative: number;
}

export const NO_SCALE_FLOOR: ScaleFloor = { absolute: 0, relative: 0 };

const I = SCORE_INDEX;

/**
 * Fills the baseline-derived scores (everything except ewmaZ and hst) of one observation.
 *
 * Zero-spread rule: when a scale is 0 even after the floor, the score is 0 if the observation
 * equals the centre and ±∞ otherwise — a perfectly flat history makes any change maximally
 * surprising. Ratio is x / mean for a positive mean, 1 for 0/0, ±∞ for x ≠ 0 over a zero mean,
 * and NaN (never fires) over a negative mean (credits), where a ratio has no meaning.
 */
export function scoreObservation(
  timestampMs: number,
  value: number,
  baseline: BaselineStats,
  expected: ExpectedValue,
  floor: ScaleFloor,
  out: ScoreVector,
): void {
  const { mean, median } = baseline;
  out[I.observed] = value;
  out[I.count] = baseline.count;
  out[I.z] = standardise(value, mean, floored(baseline.std, mean, floor));

  let ratio: number;
  if (mean > 0) ratio = value / mean;
  else if (mean === 0) ratio = value === 0 ? 1 : value > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  else ratio = Number.NaN;
  out[I.ratio] = ratio;

  const robustScale = floored(robustSigma(baseline), median, floor);
  out[I.robustZ] = standardise(value, median, robustScale);
  out[I.extremeZ] =
    value > baseline.max
      ? standardise(value, baseline.max, robustScale)
      : value < baseline.min
        ? standardise(value, baseline.min, robustScale)
        : baseline.count > 0
          ? 0
          : Number.NaN;

  let seasonalCentre = median;
  let seasonalScale = robustScale;
  const profile = baseline.seasonal;
  if (profile !== undefined) {
    const slot = seasonalSlot(timestampMs, profile.layout);
    const count = profile.count[slot] ?? 0;
    if (count > 0) {
      seasonalCentre = profile.median[slot] as number;
      const slotMad = count >= 2 ? (profile.mad[slot] as number) : 0;
      const pooled = Number.isNaN(profile.pooledMad) ? 0 : profile.pooledMad;
      const spread = MAD_TO_SIGMA * Math.max(slotMad, pooled);
      // A profile with no spread at all (a perfect square wave, a sparse series) falls back on
      // the series' overall robust scale rather than declaring every change infinite.
      seasonalScale = floored(spread > 0 ? spread : robustSigma(baseline), seasonalCentre, floor);
    }
  }
  out[I.seasonalZ] = standardise(value, seasonalCentre, seasonalScale);

  // A series with no history is expected to cost nothing: its whole value is the impact.
  const centre = baseline.count === 0 ? 0 : expected === 'mean' ? mean : expected === 'median' ? median : seasonalCentre;
  const delta = value - centre;
  out[I.expected] = centre;
  out[I.delta] = delta;
  out[I.absDelta] = Math.abs(delta);
  out[I.relDelta] = centre !== 0 ? Math.abs(delta) / Math.abs(centre) : delta === 0 ? 0 : Number.POSITIVE_INFINITY;
}

/** 1.4826 · MAD, or 1.2533 · mean absolute deviation when more than half the values tie. */
export function robustSigma(baseline: Pick<BaselineStats, 'mad' | 'meanAbsDev'>): number {
  return baseline.mad > 0 ? MAD_TO_SIGMA * baseline.mad : MEAN_AD_TO_SIGMA * baseline.meanAbsDev;
}

export function standardise(value: number, centre: number, scale: number): number {
  if (scale > 0) return (value - centre) / scale;
  if (value === centre) return 0;
  if (Number.isNaN(value) || Number.isNaN(centre)) return Number.NaN;
  return value > centre ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

function floored(scale: number, centre: number, floor: ScaleFloor): number {
  const relative = floor.relative * Math.abs(centre);
  let result = Number.isNaN(scale) ? 0 : scale;
  if (floor.absolute > result) result = floor.absolute;
  if (relative > result) result = relative;
  return result;
}
