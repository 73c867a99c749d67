/**
 * A sorted multiset of numbers in one growable Float64Array: O(log n) search, O(n) memmove
 * insert/remove (a few hundred nanoseconds for a month of 5-minute points), O(1) median and
 * O(log n) median absolute deviation. This is what makes a rolling median/MAD over a month of
 * history affordable on every point instead of re-sorting the window.
 */
export class SortedWindow {
  private data: Float64Array;
  private n = 0;

  constructor(initialCapacity = 64) {
    this.data = new Float64Array(Math.max(4, initialCapacity));
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  /** The i-th smallest value. */
  at(i: number): number {
    return this.data[i] as number;
  }

  insert(value: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const i = this.lowerBound(value);
    this.data.copyWithin(i + 1, i, this.n);
    this.data[i] = value;
    this.n++;
  }

  /** Removes one occurrence; returns false when the value is not present. */
  remove(value: number): boolean {
    const i = this.lowerBound(value);
    if (i >= this.n || this.data[i] !== value) return false;
    this.data.copyWithin(i, i + 1, this.n);
    this.n--;
    return true;
  }

  /** Index of the first element >= value. */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.n;
    const data = this.data;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((data[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** NaN when empty; the mean of the two middle values for an even count. */
  median(): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    const data = this.data;
    const mid = n >> 1;
    return n % 2 === 1 ? (data[mid] as number) : ((data[mid - 1] as number) + (data[mid] as number)) / 2;
  }

  /**
   * Median of |x − centre| without materialising the deviations: they form two sorted runs
   * (centre − x walking left from the split, x − centre walking right), so each order statistic
   * is a k-th-of-two-sorted-arrays search.
   */
  medianAbsoluteDeviation(centre = this.median()): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    const split = this.lowerBound(centre);
    const upper = n >> 1;
    const high = this.kthDeviation(upper, centre, split);
    if (n % 2 === 1) return high;
    return (this.kthDeviation(upper - 1, centre, split) + high) / 2;
  }

  /** Mean absolute deviation from `centre` in O(n); used only when the MAD is zero. */
  meanAbsoluteDeviation(centre: number): number {
    if (this.n === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += Math.abs((this.data[i] as number) - centre);
    return sum / this.n;
  }

  /** Copy of the current contents, ascending (for tests and snapshots). */
  toArray(): Float64Array {
    return this.data.slice(0, this.n);
  }

  // Left run: L[j] = centre − data[split − 1 − j], j < split (ascending in j).
  // Right run: R[j] = data[split + j] − centre, j < n − split (ascending in j).
  private kthDeviation(k: number, centre: number, split: number): number {
    const data = this.data;
    const leftLength = split;
    const rightLength = this.n - split;
    // Take i elements from the left run and k + 1 − i from the right: find i such that the
    // largest taken element is the k-th smallest overall.
    let lo = Math.max(0, k + 1 - rightLength);
    let hi = Math.min(k + 1, leftLength);
    while (lo <= hi) {
      const i = (lo + hi) >>> 1;
      const j = k + 1 - i;
      const leftTaken = i > 0 ? centre - (data[split - i] as number) : Number.NEGATIVE_INFINITY;
      const rightTaken = j > 0 ? (data[split + j - 1] as number) - centre : Number.NEGATIVE_INFINITY;
      const leftNext = i < leftLength ? centre - (data[split - 1 - i] as number) : Number.POSITIVE_INFINITY;
      const rightNext = j < rightLength ? (data[split + j] as number) - centre : Number.POSITIVE_INFINITY;
      if (leftTaken > rightNext) hi = i - 1;
      else if (rightTaken > leftNext) lo = i + 1;
      else return Math.max(leftTaken, rightTaken);
    }
    throw new Error('unreachable: k-th deviation search did not converge');
  }
}
