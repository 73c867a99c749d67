import { hourlyHistory } from './close-day.use-case';

const day = (hours: number[], counts = hours.map(() => 1)) => ({ hours, hourCounts: counts, total: '0', recordCount: 0 });

describe('hourlyHistory', () => {
  const flat = (v: number) => new Array<number>(24).fill(v);

  it('never includes the as-of day or later (no look-ahead)', () => {
    const days = { '2026-11-01': day(flat(1)), '2026-11-02': day(flat(2)), '2026-11-03': day(flat(99)) };
    const { values, timestamps } = hourlyHistory(days, Date.parse('2026-11-03T00:00:00Z'));
    expect(values).toHaveLength(48);
    expect(values.includes(99)).toBe(false);
    expect(Math.max(...timestamps)).toBe(Date.parse('2026-11-02T23:00:00Z'));
  });

  it('starts at the first recorded hour and counts missing days as zero cost', () => {
    const counts = flat(0).map((_, h) => (h >= 20 ? 1 : 0));
    const days = { '2026-11-01': day(flat(5), counts), '2026-11-03': day(flat(7)) };
    const { values } = hourlyHistory(days, Date.parse('2026-11-04T00:00:00Z'));
    expect(values).toEqual([...new Array<number>(4).fill(5), ...flat(0), ...flat(7)]);
  });
});
