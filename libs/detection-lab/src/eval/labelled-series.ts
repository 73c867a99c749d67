/** One labelled anomaly window, inclusive at both ends (NAB's convention). */
export interface AnomalyWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** A series with its ground truth, as read from a NAB-layout directory. */
export interface LabelledSeries {
  /** `<group>/<file>.csv`, the key in `labels/combined_windows.json`. */
  readonly name: string;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly windows: readonly AnomalyWindow[];
}

/** A window as row indices [start, end] of its series (first rows at or inside its limits). */
export interface WindowIndexRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Maps windows to row ranges like NAB does (`timestamps.index(limit)`: the first row whose
 * timestamp equals the limit). Limits that fall between rows snap inwards; a window with no
 * row inside is dropped.
 */
export function windowIndexRanges(timestamps: Float64Array, windows: readonly AnomalyWindow[]): WindowIndexRange[] {
  const ranges: WindowIndexRange[] = [];
  for (const window of windows) {
    const start = lowerBound(timestamps, window.startMs);
    let end = lowerBound(timestamps, window.endMs);
    if (end >= timestamps.length || (timestamps[end] as number) > window.endMs) end--;
    if (start <= end && start < timestamps.length) ranges.push({ start, end });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function lowerBound(values: Float64Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
