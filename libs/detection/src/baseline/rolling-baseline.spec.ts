import { SeededRandom } from '../random/seeded-random';
import { MS } from '../time/duration';
import { HOUR_OF_WEEK } from '../time/seasonal-slot';
import { computeBaseline } from './compute-baseline';
import { RollingBaseline } from './rolling-baseline';

describe('RollingBaseline', () => {
  const start = Date.UTC(2024, 0, 1);
  const random = new SeededRandom(3);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let h = 0; h < 50 * 24; h++) {
    if (random.chance(0.05)) continue; // gaps: missing hours
    timestamps.push(start + h * MS.hour);
    values.push(Math.round(100 * (10 + 5 * Math.sin((2 * Math.PI * h) / 24) + random.normal(0, 1))) / 100);
  }

  it.each([
    ['incremental', true],
    ['batch-rebuild', false],
  ])('matches computeBaseline at every midnight (%s mode)', (_mode, incremental) => {
    const rolling = new RollingBaseline({ windowMs: 30 * MS.day, seasonal: HOUR_OF_WEEK, keepPreviousMonth: false, incremental });
    let lastDay = -1;
    let compared = 0;
    for (let i = 0; i < values.length; i++) {
      const t = timestamps[i] as number;
      const day = Math.floor((t - start) / MS.day);
      if (day !== lastDay) {
        lastDay = day;
        const asOfMs = start + day * MS.day;
        const live = rolling.snapshot(asOfMs);
        const batch = computeBaseline(values, timestamps, { asOfMs, windowMs: 30 * MS.day });
        expect(live.count).toBe(batch.count);
        if (batch.count > 0) {
          // Order statistics are exact in both modes.
          expect(live.median).toBe(batch.median);
          expect(live.mad).toBe(batch.mad);
          expect(live.min).toBe(batch.min);
          expect(live.max).toBe(batch.max);
          expect(Array.from(live.seasonal?.median ?? [])).toEqual(Array.from(batch.seasonal?.median ?? []));
          expect(Array.from(live.seasonal?.mad ?? [])).toEqual(Array.from(batch.seasonal?.mad ?? []));
          expect(Array.from(live.seasonal?.count ?? [])).toEqual(Array.from(batch.seasonal?.count ?? []));
          expect(live.seasonal?.pooledMad).toBe(batch.seasonal?.pooledMad);
          if (incremental) {
            // Running sums: equal to rounding.
            expect(live.mean).toBeCloseTo(batch.mean, 9);
            expect(live.std).toBeCloseTo(batch.std, 9);
          } else {
            // The same kernel over the same window: bit-identical.
            expect(live.mean).toBe(batch.mean);
            expect(live.std).toBe(batch.std);
            expect(live.meanAbsDev).toBe(batch.meanAbsDev);
          }
          compared++;
        }
      }
      rolling.add(t, values[i] as number);
    }
    expect(compared).toBeGreaterThan(45);
  });

  it('forgets all but the newest points after a drift rebuild', () => {
    const rolling = new RollingBaseline({ windowMs: 30 * MS.day, seasonal: null, keepPreviousMonth: false, incremental: true });
    for (let h = 0; h < 10; h++) rolling.add(start + h * MS.hour, h < 7 ? 1 : 50);
    rolling.keepLatest(3);
    const snapshot = rolling.snapshot(start + 10 * MS.hour);
    expect(snapshot.count).toBe(3);
    expect(snapshot.median).toBe(50);
    expect(snapshot.windowStartMs).toBe(start + 7 * MS.hour);
  });

  it('finds the value one calendar month earlier when asked to keep it', () => {
    const rolling = new RollingBaseline({ windowMs: 7 * MS.day, seasonal: null, keepPreviousMonth: true, incremental: false });
    for (let h = 0; h < 40 * 24; h++) {
      const t = start + h * MS.hour;
      rolling.snapshot(t);
      rolling.add(t, h);
    }
    // The last point was 2024-02-09 23:00; 2024-01-09 20:00 was hour 8 × 24 + 20.
    expect(rolling.valueOneMonthBefore(Date.UTC(2024, 1, 9, 20))).toBe(8 * 24 + 20);
    // History older than 32 days is gone; the statistics window is only 7 days.
    expect(rolling.valueOneMonthBefore(Date.UTC(2024, 1, 1, 5))).toBeNaN();
    expect(rolling.snapshot(start + 40 * MS.day).count).toBe(7 * 24);
  });
});
