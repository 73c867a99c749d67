import { SeededRandom } from '../random/seeded-random';
import { median, medianAbsoluteDeviation, meanAbsoluteDeviation } from './descriptive-statistics';
import { SortedWindow } from './sorted-window';

describe('SortedWindow', () => {
  it('keeps values sorted through inserts and removals', () => {
    const window = new SortedWindow(2);
    for (const v of [5, 1, 4, 1, 3]) window.insert(v);
    expect(Array.from(window.toArray())).toEqual([1, 1, 3, 4, 5]);
    expect(window.remove(1)).toBe(true);
    expect(window.remove(42)).toBe(false);
    expect(Array.from(window.toArray())).toEqual([1, 3, 4, 5]);
    expect(window.median()).toBe(3.5);
  });

  it('median and MAD equal the batch statistics of a sliding window (seeded random walk with ties)', () => {
    const random = new SeededRandom(11);
    const window = new SortedWindow();
    const live: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const value = Math.round(random.normal(0, 3)) + (i % 50 === 0 ? 40 : 0);
      window.insert(value);
      live.push(value);
      if (live.length > 97) expect(window.remove(live.shift() as number)).toBe(true);
      const m = median(live);
      expect(window.median()).toBe(m);
      expect(window.medianAbsoluteDeviation()).toBe(medianAbsoluteDeviation(live, m));
    }
    expect(window.meanAbsoluteDeviation(median(live))).toBeCloseTo(meanAbsoluteDeviation(live), 10);
  });

  it('MAD of even-sized windows averages the two middle deviations', () => {
    const window = new SortedWindow();
    for (const v of [1, 2, 3, 10]) window.insert(v);
    // median 2.5; deviations 1.5, 0.5, 0.5, 7.5 → sorted 0.5 0.5 1.5 7.5 → MAD 1
    expect(window.medianAbsoluteDeviation()).toBe(1);
  });

  it('is NaN when empty', () => {
    const window = new SortedWindow();
    expect(window.median()).toBeNaN();
    expect(window.medianAbsoluteDeviation()).toBeNaN();
  });
});
