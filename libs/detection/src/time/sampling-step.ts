import { MS } from './duration';

/**
 * The typical sampling interval of a series: the median of the positive gaps between
 * consecutive timestamps. The median ignores outages and duplicate rows (NAB has both), so a
 * 5-minute series with a few hour-long gaps still reports 5 minutes.
 */
export function inferSamplingStep(timestamps: ArrayLike<number>, fallbackMs = MS.hour): number {
  const gaps: number[] = [];
  for (let i = 1; i < timestamps.length; i++) {
    const gap = (timestamps[i] as number) - (timestamps[i - 1] as number);
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return fallbackMs;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1] as number;
}

/** A duration expressed in whole samples of a series with the given step (at least `min`). */
export function samplesIn(durationMs: number, stepMs: number, min = 1): number {
  return Math.max(min, Math.round(durationMs / stepMs));
}
