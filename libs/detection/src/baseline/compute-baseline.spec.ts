import { MS } from '../time/duration';
import { HOUR_OF_WEEK, seasonalSlot } from '../time/seasonal-slot';
import { computeBaseline, previousMonthValueAt } from './compute-baseline';

const MONDAY = Date.UTC(2024, 0, 1); // 2024-01-01 was a Monday

function hourly(values: readonly number[], startMs = MONDAY): { values: number[]; timestamps: number[] } {
  return { values: [...values], timestamps: values.map((_, h) => startMs + h * MS.hour) };
}

describe('computeBaseline', () => {
  it('uses only observations in [asOf − window, asOf)', () => {
    const { values, timestamps } = hourly([100, 1, 2, 3, 4, 100]);
    // asOf = hour 5, window 4h → hours 1..4 only (hour 0 too old, hour 5 not before asOf).
    const baseline = computeBaseline(values, timestamps, { asOfMs: MONDAY + 5 * MS.hour, windowMs: 4 * MS.hour, seasonal: null });
    expect(baseline.count).toBe(4);
    expect(baseline.mean).toBe(2.5);
    // Squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5 over n − 1 = 3.
    expect(baseline.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(baseline.median).toBe(2.5);
    expect(baseline.mad).toBe(1);
    expect(baseline.meanAbsDev).toBe(1);
    expect(baseline.min).toBe(1);
    expect(baseline.max).toBe(4);
    expect(baseline.windowStartMs).toBe(MONDAY + MS.hour);
    expect(baseline.asOfMs).toBe(MONDAY + 5 * MS.hour);
  });

  it('skips missing values', () => {
    const { values, timestamps } = hourly([1, Number.NaN, 3]);
    const baseline = computeBaseline(values, timestamps, { seasonal: null });
    expect(baseline.count).toBe(2);
    expect(baseline.mean).toBe(2);
  });

  it('defaults to the trailing 30 days before just after the last point', () => {
    const { values, timestamps } = hourly(Array.from({ length: 40 * 24 }, (_, h) => (h < 10 * 24 ? 1000 : 5)));
    const baseline = computeBaseline(values, timestamps, { seasonal: null });
    expect(baseline.count).toBe(30 * 24);
    expect(baseline.mean).toBe(5);
    expect(baseline.std).toBe(0);
  });

  it('has an empty, NaN baseline when there is no history', () => {
    const baseline = computeBaseline([], [], { asOfMs: MONDAY });
    expect(baseline.count).toBe(0);
    expect(baseline.mean).toBeNaN();
    expect(baseline.median).toBeNaN();
  });

  it('builds an hour-of-week profile: slot 0 is Monday 00:00 UTC', () => {
    expect(seasonalSlot(MONDAY, HOUR_OF_WEEK)).toBe(0);
    expect(seasonalSlot(MONDAY - MS.hour, HOUR_OF_WEEK)).toBe(167);
    expect(seasonalSlot(MONDAY + 26 * MS.hour, HOUR_OF_WEEK)).toBe(26);
    // Three weeks: the value at hour-of-week h is h in week 1, h + 1 in week 2, h + 10 in week 3.
    const weeks = [0, 1, 10];
    const { values, timestamps } = hourly(weeks.flatMap((offset) => Array.from({ length: 168 }, (_, h) => h + offset)));
    const baseline = computeBaseline(values, timestamps, { asOfMs: MONDAY + 3 * MS.week, windowMs: 3 * MS.week });
    const profile = baseline.seasonal;
    expect(profile).toBeDefined();
    expect(profile?.count[5]).toBe(3);
    expect(profile?.median[5]).toBe(6); // {5, 6, 15}
    expect(profile?.mad[5]).toBe(1); // deviations {1, 0, 9}
    expect(profile?.pooledMad).toBe(1); // every slot has MAD 1
  });

  it('leaves empty slots NaN and pools only slots with two or more values', () => {
    const { values, timestamps } = hourly([1, 2, 3]);
    const profile = computeBaseline(values, timestamps, { seasonal: HOUR_OF_WEEK }).seasonal;
    expect(profile?.median[0]).toBe(1);
    expect(profile?.median[100]).toBeNaN();
    expect(profile?.pooledMad).toBeNaN();
  });

  it('records last month’s values for the day being judged', () => {
    const jan = Date.UTC(2024, 0, 1);
    const feb = Date.UTC(2024, 1, 1);
    const timestamps = Array.from({ length: 32 * 24 }, (_, h) => jan + h * MS.hour);
    const values = timestamps.map((t) => (t === jan ? 500 : 1));
    const baseline = computeBaseline(values, timestamps, { asOfMs: feb, previousMonth: { stepMs: MS.hour, horizonMs: MS.day } });
    expect(previousMonthValueAt(baseline, feb)).toBe(500);
    expect(previousMonthValueAt(baseline, feb + 3 * MS.hour)).toBe(1);
    expect(previousMonthValueAt(baseline, feb + 2 * MS.day)).toBeNaN();
  });

  it('can start the history at the first non-zero value (new services)', () => {
    const { values, timestamps } = hourly([0, 0, 0, 4, 0, 6]);
    const baseline = computeBaseline(values, timestamps, { skipLeadingZeros: true, seasonal: null });
    expect(baseline.count).toBe(3);
    expect(baseline.median).toBe(4);
    expect(computeBaseline([0, 0], [MONDAY, MONDAY + MS.hour], { skipLeadingZeros: true }).count).toBe(0);
  });

  it('rejects mismatched inputs', () => {
    expect(() => computeBaseline([1, 2], [MONDAY])).toThrow(RangeError);
  });
});
