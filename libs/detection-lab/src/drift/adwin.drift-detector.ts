export interface AdwinOptions {
  /** Confidence: a change is declared when the chance it is noise is below δ. */
  readonly delta?: number;
  /** Check for a cut every `clock` updates (ADWIN's cost is in the checks). */
  readonly clock?: number;
  /** Buckets per exponential-histogram level before two are merged (ADWIN2's M). */
  readonly maxBuckets?: number;
  /** Neither side of a cut may hold fewer points. */
  readonly minWindowLength?: number;
  /** No checks before this many points. */
  readonly gracePeriod?: number;
}

/**
 * ADWIN2 (Bifet & Gavaldà, 2007): an adaptive window over a stream, summarised in an
 * exponential histogram of buckets, which drops its oldest part whenever two sub-windows have
 * means that differ by more than a Hoeffding/Bernstein bound (the variance form used by River).
 * A cut means the series' level changed: the baseline built on the older data no longer holds
 * and must be rebuilt from the newest `width` points.
 */
export class AdwinDriftDetector {
  private readonly delta: number;
  private readonly clock: number;
  private readonly maxBuckets: number;
  private readonly minWindowLength: number;
  private readonly gracePeriod: number;
  /** levels[i] holds buckets of 2^i points, oldest first: [total, variance] pairs. */
  private readonly totals: number[][] = [];
  private readonly variances: number[][] = [];
  private widthValue = 0;
  private total = 0;
  private variance = 0;
  private tick = 0;

  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002;
    this.clock = options.clock ?? 32;
    this.maxBuckets = options.maxBuckets ?? 5;
    this.minWindowLength = options.minWindowLength ?? 5;
    this.gracePeriod = options.gracePeriod ?? 10;
  }

  /** Points in the current (post-change) window. */
  get width(): number {
    return this.widthValue;
  }

  get estimation(): number {
    return this.widthValue > 0 ? this.total / this.widthValue : Number.NaN;
  }

  /** Adds a value; true when a change was detected (the window has just been cut). */
  update(value: number): boolean {
    this.insert(value);
    this.compress();
    return this.detectChange();
  }

  private insert(value: number): void {
    if (this.totals.length === 0) {
      this.totals.push([]);
      this.variances.push([]);
    }
    (this.totals[0] as number[]).push(value);
    (this.variances[0] as number[]).push(0);
    this.widthValue++;
    if (this.widthValue > 1) {
      const d = value - this.total / (this.widthValue - 1);
      this.variance += ((this.widthValue - 1) * d * d) / this.widthValue;
    }
    this.total += value;
  }

  private compress(): void {
    for (let level = 0; level < this.totals.length; level++) {
      const totals = this.totals[level] as number[];
      if (totals.length <= this.maxBuckets) break;
      const variances = this.variances[level] as number[];
      const size = 2 ** level;
      const t1 = totals.shift() as number;
      const t2 = totals.shift() as number;
      const v1 = variances.shift() as number;
      const v2 = variances.shift() as number;
      const d = t1 / size - t2 / size;
      if (level + 1 === this.totals.length) {
        this.totals.push([]);
        this.variances.push([]);
      }
      (this.totals[level + 1] as number[]).push(t1 + t2);
      (this.variances[level + 1] as number[]).push(v1 + v2 + (size * size * d * d) / (2 * size));
    }
  }

  private detectChange(): boolean {
    this.tick++;
    if (this.tick % this.clock !== 0 || this.widthValue <= this.gracePeriod) return false;
    let changed = false;
    let cut = true;
    while (cut) {
      cut = false;
      let n0 = 0;
      let n1 = this.widthValue;
      let u0 = 0;
      let u1 = this.total;
      search: for (let level = this.totals.length - 1; level >= 0; level--) {
        const totals = this.totals[level] as number[];
        const size = 2 ** level;
        for (let k = 0; k < totals.length; k++) {
          const t = totals[k] as number;
          n0 += size;
          n1 -= size;
          u0 += t;
          u1 -= t;
          if (n1 <= 0) break search;
          if (n0 >= this.minWindowLength && n1 >= this.minWindowLength && this.isCut(n0, n1, u0 / n0 - u1 / n1)) {
            this.dropOldestBucket();
            cut = true;
            changed = true;
            break search;
          }
        }
      }
    }
    return changed;
  }

  private isCut(n0: number, n1: number, meanDifference: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.widthValue)) / this.delta);
    const m = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const varianceOfWindow = this.variance / this.widthValue;
    const epsilon = Math.sqrt(2 * m * varianceOfWindow * deltaPrime) + (2 / 3) * deltaPrime * m;
    return Math.abs(meanDifference) > epsilon;
  }

  private dropOldestBucket(): void {
    let level = this.totals.length - 1;
    while (level >= 0 && (this.totals[level] as number[]).length === 0) level--;
    if (level < 0) return;
    const size = 2 ** level;
    const t = (this.totals[level] as number[]).shift() as number;
    const v = (this.variances[level] as number[]).shift() as number;
    this.widthValue -= size;
    this.total -= t;
    if (this.widthValue > 0) {
      const d = t / size - this.total / this.widthValue;
      this.variance -= v + (size * this.widthValue * d * d) / (size + this.widthValue);
      if (this.variance < 0) this.variance = 0;
    } else {
      this.total = 0;
      this.variance = 0;
    }
    while (this.totals.length > 0 && (this.totals[this.totals.length - 1] as number[]).length === 0) {
      this.totals.pop();
      this.variances.pop();
    }
  }
}
