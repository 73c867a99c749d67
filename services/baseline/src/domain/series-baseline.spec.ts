import { absentSeries } from '../application/close-day.use-case';
import { dailyBaseline, dailyHistory, hourlyHistory } from './series-baseline';

const day = (hours: number[], counts = hours.map(() => 1)) => ({ hours, hourCounts: counts, total: hours.reduce((a, b) => a + b, 0) });

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

describe('daily baseline', () => {
  const flat = (v: number) => new Array<number>(24).fill(v);
  const dates = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

  it('daily totals before the as-of day, a missing day counted as 0', () => {
    const days = { '2026-11-01': day(flat(1)), '2026-11-03': day(flat(2)), '2026-11-04': day(flat(99)) };
    expect(dailyHistory(days, Date.parse('2026-11-04T00:00:00Z')).values).toEqual([24, 0, 48]);
  });

  it('is day-of-week aware: weekdays and weekends get their own medians', () => {
    // 28 days from Monday 2026-11-02: 100 a weekday, 10 a weekend day.
    const days: Record<string, ReturnType<typeof day>> = {};
    for (const [i, date] of dates('2026-11-02', 28).entries()) days[date] = day(flat(i % 7 >= 5 ? 10 / 24 : 100 / 24));
    const baseline = dailyBaseline(days, Date.parse('2026-11-30T00:00:00Z'), 30);
    expect(baseline?.stored.count).toBe(28);
    expect(baseline?.stored.seasonal?.median.map((m) => Math.round(m))).toEqual([100, 100, 100, 100, 100, 10, 10]);
    expect(baseline?.stored.activeFraction).toBe(1);
    expect(baseline?.stored.active).toBeNull();
  });

  it('an intermittent series keeps the statistics of its active days', () => {
    const days: Record<string, ReturnType<typeof day>> = {};
    for (const [i, date] of dates('2026-11-01', 20).entries()) if (i % 2 === 0) days[date] = day(flat(50 / 24));
    const baseline = dailyBaseline(days, Date.parse('2026-11-21T00:00:00Z'), 30);
    expect(baseline?.stored.activeFraction).toBeCloseTo(0.5);
    expect(baseline?.stored.active?.mean).toBeCloseTo(50);
    expect(baseline?.stored.mean).toBeCloseTo(25);
  });

  it('absent series: a cost in the last 7 days and no record on the day', () => {
    const series = (id: string, daysOf: Record<string, ReturnType<typeof day>>) => ({ _id: id, domainId: 'd', projectId: 'p', serviceId: id, currency: 'USD', serviceName: id, days: Object.fromEntries(Object.entries(daysOf).map(([k, v]) => [k, { ...v, total: String(v.total), recordCount: 1 }])) });
    const all = [
      series('recent', { '2026-11-05': day(flat(1)) }),
      series('present', { '2026-11-05': day(flat(1)) }),
      series('long-gone', { '2026-10-20': day(flat(1)) }),
      series('free', { '2026-11-05': day(flat(0)) }),
    ];
    expect(absentSeries(all, new Map([['present', true]]), '2026-11-08').map((s) => s._id)).toEqual(['recent']);
  });
});
