import type { SeededRandom } from '../random/seeded-random';

/**
 * How a series' hours reach the collector: each series-day is, with `restatementRate`, first
 * reported 3–15% low and corrected a day later, and with `lateDataRate` has a block of 1–6
 * hours that arrives 3–24 hours late (NaN when first judged).
 */
export function reportingOf(
  values: Float64Array,
  firstHour: number,
  random: SeededRandom,
  restatementRate: number,
  lateDataRate: number,
): { firstReported: Float64Array; lateHours: Map<number, number> } {
  const firstReported = Float64Array.from(values);
  const lateHours = new Map<number, number>();
  for (let day = Math.floor(firstHour / 24); day * 24 < values.length; day++) {
    if (random.next() < restatementRate) {
      const factor = random.uniform(0.85, 0.97);
      for (let h = day * 24; h < Math.min(values.length, day * 24 + 24); h++) firstReported[h] = Math.round((values[h] as number) * factor * 1e4) / 1e4 || 0;
    }
    if (random.next() < lateDataRate) {
      const from = day * 24 + random.integer(0, 23);
      const delay = random.integer(3, 24);
      for (let h = Math.max(from, firstHour); h < Math.min(values.length, from + random.integer(1, 6)); h++) {
        firstReported[h] = Number.NaN;
        lateHours.set(h, delay);
      }
    }
  }
  return { firstReported, lateHours };
}
