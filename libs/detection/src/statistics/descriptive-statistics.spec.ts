import { SeededRandom } from '../random/seeded-random';
import { mean, meanAbsoluteDeviation, median, medianAbsoluteDeviation, sampleStd } from './descriptive-statistics';
import { selectKth, selectMedian } from './select-kth';

describe('descriptive statistics (exact on small inputs)', () => {
  it('mean of [2, 4, 4, 4, 5, 5, 7, 9] is 5', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
  });

  it('sample std uses n − 1: [2, 4, 4, 4, 5, 5, 7, 9] → sqrt(32 / 7)', () => {
    // Squared deviations from 5: 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32.
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('std of one value is 0 and of nothing is NaN', () => {
    expect(sampleStd([42])).toBe(0);
    expect(sampleStd([])).toBeNaN();
    expect(mean([])).toBeNaN();
  });

  it('median of an odd count is the middle value, of an even count the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('MAD of [1, 1, 2, 2, 4, 6, 9] is 1 (median 2, deviations 1 1 0 0 2 4 7)', () => {
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });

  it('MAD of [1, 2, 3, 4] is 1 (median 2.5, deviations 1.5 0.5 0.5 1.5)', () => {
    expect(medianAbsoluteDeviation([1, 2, 3, 4])).toBe(1);
  });

  it('MAD is 0 when more than half the values tie, and the mean absolute deviation is the fallback', () => {
    const values = [3, 3, 3, 3, 10];
    expect(medianAbsoluteDeviation(values)).toBe(0);
    expect(meanAbsoluteDeviation(values)).toBeCloseTo(7 / 5, 12);
  });

  it('does not reorder its input', () => {
    const values = [9, 1, 5];
    median(values);
    medianAbsoluteDeviation(values);
    expect(values).toEqual([9, 1, 5]);
  });
});

describe('selectKth', () => {
  it('agrees with sorting for every k on random data with duplicates', () => {
    const random = new SeededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = random.integer(1, 40);
      const data = Float64Array.from({ length: n }, () => random.integer(0, 9));
      const sorted = Array.from(data).sort((a, b) => a - b);
      for (let k = 0; k < n; k++) expect(selectKth(Float64Array.from(data), k)).toBe(sorted[k]);
    }
  });

  it('selects within a sub-range only', () => {
    const data = Float64Array.from([100, 5, 3, 4, -100]);
    expect(selectMedian(data, 1, 4)).toBe(4);
    expect(data[0]).toBe(100);
    expect(data[4]).toBe(-100);
  });

  it('rejects k outside the range', () => {
    expect(() => selectKth(Float64Array.from([1, 2]), 2)).toThrow(RangeError);
  });
});
