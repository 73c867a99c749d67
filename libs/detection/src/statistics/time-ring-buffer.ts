/**
 * (timestamp, value) pairs in arrival order in a growable ring of two Float64Arrays: the history
 * behind a rolling baseline. Appends at the tail, evicts from the head, random access by age.
 */
export class TimeRingBuffer {
  private times: Float64Array;
  private values: Float64Array;
  private head = 0;
  private length = 0;

  constructor(initialCapacity = 256) {
    const capacity = Math.max(4, initialCapacity);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(timestampMs: number, value: number): void {
    if (this.length === this.times.length) this.grow();
    const i = (this.head + this.length) % this.times.length;
    this.times[i] = timestampMs;
    this.values[i] = value;
    this.length++;
  }

  /** Drops the oldest pair. */
  shift(): void {
    if (this.length === 0) return;
    this.head = (this.head + 1) % this.times.length;
    this.length--;
  }

  /** Timestamp of the k-th oldest pair (k = 0 is the oldest). */
  timeAt(k: number): number {
    return this.times[(this.head + k) % this.times.length] as number;
  }

  valueAt(k: number): number {
    return this.values[(this.head + k) % this.times.length] as number;
  }

  /** Value stored at exactly `timestampMs` (timestamps ascending), or NaN. Binary search. */
  valueAtTime(timestampMs: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < timestampMs) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.length && this.timeAt(lo) === timestampMs ? this.valueAt(lo) : Number.NaN;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    for (let k = 0; k < this.length; k++) {
      times[k] = this.timeAt(k);
      values[k] = this.valueAt(k);
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}
