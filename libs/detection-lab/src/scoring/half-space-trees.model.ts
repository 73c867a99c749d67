import { SeededRandom } from '@costwatch/detection';

export interface HalfSpaceTreesOptions {
  readonly trees: number;
  readonly depth: number;
  /** Points per mass window (ψ): the reference profile is the previous window's masses. */
  readonly windowSize: number;
  /** Dimensions of the feature vectors (each expected roughly in [0, 1]). */
  readonly dimensions: number;
  readonly seed: number;
  /** A node whose reference mass is below this fraction of ψ ends the descent. */
  readonly sizeLimitFraction?: number;
}

/**
 * Streaming Half-Space Trees (Tan, Ting & Liu, IJCAI 2011): random axis-aligned trees over a
 * perturbed unit workspace; each node counts how many points of the reference window and of
 * the latest window fell into it, and the windows swap every ψ points. A point that lands
 * where the reference window was sparse (low mass × 2^depth) is anomalous. Trees are complete
 * binary trees in flat typed arrays; the RNG is seeded so a replay is exactly reproducible.
 */
export class HalfSpaceTrees {
  private readonly nodesPerTree: number;
  private readonly splitDimension: Int32Array;
  private readonly splitValue: Float64Array;
  private referenceMass: Float64Array;
  private latestMass: Float64Array;
  private readonly sizeLimit: number;
  private seen = 0;

  constructor(private readonly options: HalfSpaceTreesOptions) {
    const { trees, depth, dimensions } = options;
    this.nodesPerTree = (1 << (depth + 1)) - 1;
    const total = trees * this.nodesPerTree;
    this.splitDimension = new Int32Array(total);
    this.splitValue = new Float64Array(total);
    this.referenceMass = new Float64Array(total);
    this.latestMass = new Float64Array(total);
    this.sizeLimit = (options.sizeLimitFraction ?? 0.1) * options.windowSize;

    const random = new SeededRandom(options.seed);
    const low = new Float64Array(dimensions);
    const high = new Float64Array(dimensions);
    for (let tree = 0; tree < trees; tree++) {
      for (let q = 0; q < dimensions; q++) {
        // Workspace of each dimension: a random point s with a range wide enough to hold [0, 1].
        const s = random.next();
        const range = 2 * Math.max(s, 1 - s);
        low[q] = s - range;
        high[q] = s + range;
      }
      this.buildNode(tree * this.nodesPerTree, 0, 0, low, high, random);
    }
  }

  /** True once a full reference window exists (scores before that are meaningless). */
  get warmedUp(): boolean {
    return this.seen >= this.options.windowSize;
  }

  /**
   * Anomaly score in [0, 1] of a feature vector against the reference window: 1 − min(1, mass ·
   * 2^depth / ψ) averaged over trees, so 0 where the reference was at least as dense as a
   * uniform spread and 1 where it had nothing.
   */
  score(features: ArrayLike<number>): number {
    const { trees, depth, windowSize } = this.options;
    let total = 0;
    for (let tree = 0; tree < trees; tree++) {
      const base = tree * this.nodesPerTree;
      let node = 0;
      let level = 0;
      for (;;) {
        const mass = this.referenceMass[base + node] as number;
        if (level === depth || mass < this.sizeLimit) {
          total += Math.min(1, (mass * 2 ** level) / windowSize);
          break;
        }
        node = this.child(base, node, features);
        level++;
      }
    }
    return 1 - total / trees;
  }

  /** Counts the vector into the latest window; swaps windows every ψ points. */
  learn(features: ArrayLike<number>): void {
    const { trees, depth, windowSize } = this.options;
    for (let tree = 0; tree < trees; tree++) {
      const base = tree * this.nodesPerTree;
      let node = 0;
      for (let level = 0; ; level++) {
        this.latestMass[base + node] = (this.latestMass[base + node] as number) + 1;
        if (level === depth) break;
        node = this.child(base, node, features);
      }
    }
    this.seen++;
    if (this.seen % windowSize === 0) {
      const swap = this.referenceMass;
      this.referenceMass = this.latestMass;
      this.latestMass = swap;
      this.latestMass.fill(0);
    }
  }

  private child(base: number, node: number, features: ArrayLike<number>): number {
    const q = this.splitDimension[base + node] as number;
    const goLeft = (features[q] as number) < (this.splitValue[base + node] as number);
    return 2 * node + (goLeft ? 1 : 2);
  }

  private buildNode(
    base: number,
    node: number,
    level: number,
    low: Float64Array,
    high: Float64Array,
    random: SeededRandom,
  ): void {
    if (level === this.options.depth) return;
    const q = random.integer(0, this.options.dimensions - 1);
    const lo = low[q] as number;
    const hi = high[q] as number;
    const mid = (lo + hi) / 2;
    this.splitDimension[base + node] = q;
    this.splitValue[base + node] = mid;
    high[q] = mid;
    this.buildNode(base, 2 * node + 1, level + 1, low, high, random);
    high[q] = hi;
    low[q] = mid;
    this.buildNode(base, 2 * node + 2, level + 1, low, high, random);
    low[q] = lo;
  }
}
