import { HalfSpaceTrees } from './half-space-trees.model';

export interface HalfSpaceTreesScorerOptions {
  readonly trees: number;
  readonly depth: number;
  readonly windowSize: number;
  /** Features are the last `shingle` values (the current one first). */
  readonly shingle: number;
  readonly seed: number;
}

/**
 * Half-space trees over a univariate series: the feature vector is a shingle of the latest
 * values, min-max scaled with the range of the previous mass window (plus a margin), so that
 * the trees' unit workspace fits the series whatever its units. The first window only
 * measures that range (nothing is learnt without a scale), so scores start after two windows.
 */
export class HalfSpaceTreesScorer {
  private readonly trees: HalfSpaceTrees;
  private readonly recent: Float64Array;
  private readonly features: Float64Array;
  private filled = 0;
  private scaleLow = Number.POSITIVE_INFINITY;
  private scaleHigh = Number.NEGATIVE_INFINITY;
  private windowLow = Number.POSITIVE_INFINITY;
  private windowHigh = Number.NEGATIVE_INFINITY;
  private inWindow = 0;

  constructor(private readonly options: HalfSpaceTreesScorerOptions) {
    this.trees = new HalfSpaceTrees({
      trees: options.trees,
      depth: options.depth,
      windowSize: options.windowSize,
      dimensions: options.shingle,
      seed: options.seed,
    });
    this.recent = new Float64Array(options.shingle);
    this.features = new Float64Array(options.shingle);
  }

  /** Score of `value` following the values learnt so far; NaN until a reference window exists. */
  score(value: number): number {
    if (!this.trees.warmedUp) return Number.NaN;
    this.buildFeatures(value);
    return this.trees.score(this.features);
  }

  learn(value: number): void {
    const shingle = this.options.shingle;
    this.recent.copyWithin(1, 0, shingle - 1);
    this.recent[0] = value;
    if (this.filled < shingle) this.filled++;
    if (value < this.windowLow) this.windowLow = value;
    if (value > this.windowHigh) this.windowHigh = value;
    if (this.filled === shingle && Number.isFinite(this.scaleLow)) {
      this.buildFeatures(value, true);
      this.trees.learn(this.features);
    }
    if (++this.inWindow === this.options.windowSize) {
      // Rescale with the window that just closed, 10% margin either side.
      const margin = 0.1 * (this.windowHigh - this.windowLow);
      this.scaleLow = this.windowLow - margin;
      this.scaleHigh = this.windowHigh + margin;
      this.windowLow = Number.POSITIVE_INFINITY;
      this.windowHigh = Number.NEGATIVE_INFINITY;
      this.inWindow = 0;
    }
  }

  /** Features of `value` preceded by the recent values (already shifted when `learnt`). */
  private buildFeatures(value: number, learnt = false): void {
    const span = this.scaleHigh - this.scaleLow;
    const scale = span > 0 ? 1 / span : 0;
    const shingle = this.options.shingle;
    for (let k = 0; k < shingle; k++) {
      const v = k === 0 ? value : (this.recent[learnt ? k : k - 1] as number);
      this.features[k] = scale === 0 ? 0.5 : (v - this.scaleLow) * scale;
    }
  }
}
