import type { Judgement } from '@costwatch/detection';

/**
 * A stateful detector for one series, fed in time order. `update` judges the point against
 * what it learnt from earlier points only, then learns the point — so a replay can never look
 * ahead. Implementations allocate nothing per point on the normal path.
 */
export interface SeriesDetector {
  /** True when the point is anomalous. Non-finite values are treated as missing: false. */
  update(timestampMs: number, value: number): boolean;
  /** The full judgement of the last point, for reports and alerts (built on demand). */
  explainLast?(): Judgement | null;
}

/** What a detector may know about a series before seeing it: its sampling step. */
export interface SeriesContext {
  readonly stepMs: number;
}

export type SeriesDetectorFactory = (context: SeriesContext) => SeriesDetector;
