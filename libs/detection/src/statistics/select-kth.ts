/**
 * In-place selection (Hoare's quickselect with median-of-three pivots): after the call,
 * `values[k]` holds the k-th smallest of `values[from..to)` and the range is partitioned
 * around it. Medians of baseline windows are computed this way in O(n) rather than sorting.
 */
export function selectKth(values: Float64Array, k: number, from = 0, to = values.length): number {
  let lo = from;
  let hi = to - 1;
  if (k < lo || k > hi) throw new RangeError(`k=${k} is outside [${from}, ${to})`);
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three: order values[lo] <= values[mid] <= values[hi].
    if (at(values, mid) < at(values, lo)) swap(values, mid, lo);
    if (at(values, hi) < at(values, lo)) swap(values, hi, lo);
    if (at(values, hi) < at(values, mid)) swap(values, hi, mid);
    const pivot = at(values, mid);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (at(values, i) < pivot) i++;
      while (at(values, j) > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return at(values, k);
}

/** Below this many values an insertion sort beats quickselect (seasonal slots hold ~4). */
const SMALL_RANGE = 16;

/** Median of `values[from..to)`, reordering that range. NaN for an empty range. */
export function selectMedian(values: Float64Array, from = 0, to = values.length): number {
  const n = to - from;
  if (n <= 0) return Number.NaN;
  if (n <= SMALL_RANGE) {
    insertionSort(values, from, to);
    const mid = from + (n >> 1);
    return n % 2 === 1 ? at(values, mid) : (at(values, mid - 1) + at(values, mid)) / 2;
  }
  const upper = from + (n >> 1);
  const high = selectKth(values, upper, from, to);
  if (n % 2 === 1) return high;
  // After selecting `upper`, everything left of it is <= high: the lower middle is their maximum.
  let low = Number.NEGATIVE_INFINITY;
  for (let i = from; i < upper; i++) {
    const v = at(values, i);
    if (v > low) low = v;
  }
  return (low + high) / 2;
}

function insertionSort(values: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = at(values, i);
    let j = i - 1;
    while (j >= from && at(values, j) > v) {
      values[j + 1] = at(values, j);
      j--;
    }
    values[j + 1] = v;
  }
}

function at(values: Float64Array, i: number): number {
  return values[i] as number;
}

function swap(values: Float64Array, i: number, j: number): void {
  const t = values[i] as number;
  values[i] = values[j] as number;
  values[j] = t;
}
