import { alertOnsets } from './alert-episodes';
import { countEvents, eventMetrics } from './event-metrics';

const HOUR = 3_600_000;
const hours = (n: number): number[] => Array.from({ length: n }, (_, i) => i * HOUR);

describe('alertOnsets', () => {
  it('merges anomalous points closer than the cooldown into one alert', () => {
    const flags = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1];
    // Gaps: 1→2 (1h), 2→5 (3h ≤ 4h: same alert), 5→10 (5h > 4h: new alert).
    expect(alertOnsets(hours(12), flags, 4 * HOUR, HOUR)).toEqual([1, 10]);
  });

  it('never splits an unbroken run, even with no cooldown', () => {
    expect(alertOnsets(hours(6), [1, 1, 1, 0, 1, 1], 0, HOUR)).toEqual([0, 4]);
  });
});

describe('countEvents', () => {
  const timestamps = hours(100);
  const windows = [
    { start: 20, end: 29 },
    { start: 60, end: 69 },
    { start: 5, end: 8 }, // ends inside the probation: not counted
  ].sort((a, b) => a.start - b.start);

  it('counts alerts in and out of windows, windows found and delays, ignoring the probation', () => {
    const counts = countEvents(timestamps, [3, 12, 25, 27, 40, 95], windows, 10);
    expect(counts).toEqual({ alerts: 5, truePositiveAlerts: 2, windows: 2, windowsFound: 1, delaysMs: [5 * HOUR] });
  });

  it('precision is per alert and recall per window (no point-adjust)', () => {
    const counts = countEvents(timestamps, [3, 12, 25, 27, 40, 95], windows, 10);
    const { precision, recall, f1 } = eventMetrics([counts]);
    expect(precision).toBe(2 / 5);
    expect(recall).toBe(1 / 2);
    expect(f1).toBeCloseTo((2 * 0.4 * 0.5) / 0.9, 12);
  });

  it('aggregates over series and defines the empty cases', () => {
    const a = countEvents(timestamps, [21], [{ start: 20, end: 29 }], 0);
    const b = countEvents(timestamps, [], [{ start: 20, end: 29 }], 0);
    expect(eventMetrics([a, b])).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3 });
    expect(eventMetrics([])).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(eventMetrics([countEvents(timestamps, [50], [{ start: 20, end: 29 }], 0)]).f1).toBe(0);
  });
});
