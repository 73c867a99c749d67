/**
 * (timestamp, value) pairs in arrival order: the history behind a rolling baseline. Appends at
 * the tail, evicts from the head, and keeps the live pairs contiguous (compacting when the
 * head has moved past half the capacity), so a batch kernel can read a window straight out of
 * `times` / `values` from `head + k` without copying.
 */
export class TimeRingBuffer {
  private timesData: Float64Array;
  private valuesData: Float64Array;
  private headIndex = 0;
  private length = 0;

  constructor(initialCapacity = 256) {
    const capacity = Math.max(4, initialCapacity);
    this.timesData = new Float64Array(capacity);
    this.valuesData = new Float64Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Storage index of the oldest pair: pair k lives at `times[head + k]`. */
  get head(): number {
    return this.headIndex;
  }

  get times(): Float64Array {
    return this.timesData;
  }

  get values(): Float64Array {
    return this.valuesData;
  }

  push(timestampMs: number, value: number): void {
    if (this.headIndex + this.length === this.timesData.length) this.makeRoom();
    const i = this.headIndex + this.length;
    this.timesData[i] = timestampMs;
    this.valuesData[i] = value;
    this.length++;
  }

  /** Drops the oldest pair. */
  shift(): void {
    if (this.length === 0) return;
    this.headIndex++;
    this.length--;
    if (this.length === 0) this.headIndex = 0;
  }

  /** Timestamp of the k-th oldest pair (k = 0 is the oldest). */
  timeAt(k: number): number {
    return this.timesData[this.headIndex + k] as number;
  }

  valueAt(k: number): number {
    return this.valuesData[this.headIndex + k] as number;
  }

  /**
   * Value stored at exactly `timestampMs` (timestamps ascending), or NaN. Regularly sampled
   * series are found by the first, interpolated probe (one memory access instead of a dozen);
   * anything else falls back to binary search.
   */
  valueAtTime(timestampMs: number): number {
    const n = this.length;
    if (n === 0) return Number.NaN;
    const first = this.timeAt(0);
    const last = this.timeAt(n - 1);
    if (n > 1 && last > first) {
      const guess = Math.round(((timestampMs - first) / (last - first)) * (n - 1));
      if (guess >= 0 && guess < n && this.timeAt(guess) === timestampMs) return this.valueAt(guess);
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < timestampMs) lo = mid + 1;
      else hi = mid;
    }
    return lo < n && this.timeAt(lo) === timestampMs ? this.valueAt(lo) : Number.NaN;
  }

  clear(): void {
    this.headIndex = 0;
    this.length = 0;
  }

  private makeRoom(): void {
    if (this.headIndex >= this.timesData.length >> 1) {
      // Plenty of space behind the head: slide the live pairs to the front.
      this.timesData.copyWithin(0, this.headIndex, this.headIndex + this.length);
      this.valuesData.copyWithin(0, this.headIndex, this.headIndex + this.length);
    } else {
      const times = new Float64Array(this.timesData.length * 2);
      const values = new Float64Array(this.timesData.length * 2);
      times.set(this.timesData.subarray(this.headIndex, this.headIndex + this.length));
      values.set(this.valuesData.subarray(this.headIndex, this.headIndex + this.length));
      this.timesData = times;
      this.valuesData = values;
    }
    this.headIndex = 0;
  }
}
