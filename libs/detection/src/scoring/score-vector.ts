/**
 * The named scores a threshold expression can test. They live in one Float64Array per detector
 * (indexed by `SCORE_INDEX`) that is overwritten for every observation, so judging a point
 * allocates nothing. A score a detector cannot compute is NaN, and NaN satisfies no comparison.
 */
export const SCORE_NAMES = [
  /** The observation itself ($ per step for billing). */
  'observed',
  /** What the baseline predicts: mean, median or seasonal median, per the rule's `expected`. */
  'expected',
  /** observed − expected (signed; $ impact for billing). */
  'delta',
  /** |observed − expected|. */
  'absDelta',
  /** |observed − expected| / |expected| (a fraction: 0.5 = 50%); ∞ when expected is 0. */
  'relDelta',
  /** (x − mean) / std over the history window. */
  'z',
  /** x / mean. */
  'ratio',
  /** (x − median) / (1.4826 · MAD). */
  'robustZ',
  /** (x − slot median) / (1.4826 · max(slot MAD, pooled MAD)) on the seasonal profile. */
  'seasonalZ',
  /**
   * How far beyond the history's range the observation is, in robust σ: (x − max) / σ above
   * the maximum, (x − min) / σ below the minimum, 0 inside. A new record high or low.
   */
  'extremeZ',
  /** (x − EWMA mean) / EWMA std (streaming only). */
  'ewmaZ',
  /** Half-space-trees anomaly score in [0, 1] (streaming only). */
  'hst',
  /** Number of observations in the baseline. */
  'count',
  /** 1 on the point where ADWIN detected a level change, else 0 (streaming only, with drift on). */
  'drift',
] as const;

export type ScoreName = (typeof SCORE_NAMES)[number];

export const SCORE_INDEX: Readonly<Record<ScoreName, number>> = Object.fromEntries(
  SCORE_NAMES.map((name, i) => [name, i]),
) as Record<ScoreName, number>;

export type ScoreVector = Float64Array;

export function createScoreVector(): ScoreVector {
  return new Float64Array(SCORE_NAMES.length).fill(Number.NaN);
}

export function isScoreName(name: string): name is ScoreName {
  return (SCORE_NAMES as readonly string[]).includes(name);
}
