import { MS } from '@costwatch/contracts';

/** Milliseconds per unit (the one definition is @costwatch/contracts'), re-exported for the kernel's users. */
export { MS };

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: MS.second,
  m: MS.minute,
  h: MS.hour,
  d: MS.day,
  w: MS.week,
};

/**
 * Parses `90s`, `5m`, `6h`, `30d`, `1w`, `1.5h` (or a plain number of milliseconds) into
 * milliseconds. Detector parameters are durations, not sample counts, so that one configuration
 * fits hourly billing and 5-minute metrics alike; the series' step turns them into samples.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new RangeError(`invalid duration: ${text}`);
    return text;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(text);
  if (match === null) throw new RangeError(`invalid duration "${text}" (expected e.g. 5m, 6h, 30d, 1w)`);
  const amount = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return amount * (UNIT_MS[unit] ?? 1);
}

/** Compact human form for reports: 90000 → "1.5m", 86400000 → "1d". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const units: Array<[string, number]> = [
    ['w', MS.week],
    ['d', MS.day],
    ['h', MS.hour],
    ['m', MS.minute],
    ['s', MS.second],
  ];
  for (const [unit, size] of units) {
    if (abs >= size) return `${sign}${Number((abs / size).toFixed(1))}${unit}`;
  }
  return `${sign}${Math.round(abs)}ms`;
}
