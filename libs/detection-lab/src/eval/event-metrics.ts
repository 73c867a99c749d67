import type { WindowIndexRange } from './labelled-series';

/** Event-wise counts for one series (no point-adjust: an alert is one event). */
export interface EventCounts {
  /** Alerts in the scored part of the series. */
  readonly alerts: number;
  /** Alerts whose first point lies inside a labelled window. */
  readonly truePositiveAlerts: number;
  readonly windows: number;
  /** Windows with at least one alert starting inside them. */
  readonly windowsFound: number;
  /** For each found window, first alert time − window start. */
  readonly delaysMs: readonly number[];
}

/**
 * Matches alert onsets (row indices, ascending) against windows (ascending). Rows before
 * `scoredFrom` (the probationary period) are ignored, and so are windows ending inside it.
 */
export function countEvents(
  timestamps: ArrayLike<number>,
  onsets: readonly number[],
  windows: readonly WindowIndexRange[],
  scoredFrom: number,
): EventCounts {
  let alerts = 0;
  let truePositiveAlerts = 0;
  let windowsCounted = 0;
  let windowsFound = 0;
  const delaysMs: number[] = [];
  const firstAlert = windows.map(() => -1);
  let w = 0;
  for (const i of onsets) {
    if (i < scoredFrom) continue;
    alerts++;
    while (w < windows.length && (windows[w] as WindowIndexRange).end < i) w++;
    const window = windows[w];
    if (window !== undefined && window.start <= i) {
      truePositiveAlerts++;
      if (firstAlert[w] === -1) firstAlert[w] = i;
    }
  }
  windows.forEach((window, k) => {
    if (window.end < scoredFrom) return;
    windowsCounted++;
    const first = firstAlert[k] as number;
    if (first >= 0) {
      windowsFound++;
      delaysMs.push((timestamps[first] as number) - (timestamps[Math.max(window.start, scoredFrom)] as number));
    }
  });
  return { alerts, truePositiveAlerts, windows: windowsCounted, windowsFound, delaysMs };
}

export interface EventMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/**
 * Precision = alerts inside windows / alerts; recall = windows found / windows. With no alerts
 * precision is 1 (nothing false was said) and with no windows recall is 1; F1 is their harmonic
 * mean (0 when both are 0).
 */
export function eventMetrics(counts: readonly EventCounts[]): EventMetrics {
  let alerts = 0;
  let tp = 0;
  let windows = 0;
  let found = 0;
  for (const c of counts) {
    alerts += c.alerts;
    tp += c.truePositiveAlerts;
    windows += c.windows;
    found += c.windowsFound;
  }
  const precision = alerts === 0 ? 1 : tp / alerts;
  const recall = windows === 0 ? 1 : found / windows;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
