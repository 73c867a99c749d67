import { lastCompletePeriod, lastDay, parseReportDay, periodContaining, previousPeriod } from './report-period';

describe('report periods (UTC)', () => {
  it('a week runs Monday to Sunday', () => {
    // 2026-09-13 is a Sunday, 2026-09-14 a Monday.
    expect(periodContaining('weekly', '2026-09-13')).toMatchObject({ start: '2026-09-07', end: '2026-09-14' });
    expect(periodContaining('weekly', '2026-09-14')).toMatchObject({ start: '2026-09-14', end: '2026-09-21' });
    expect(periodContaining('weekly', '2026-09-16').days).toEqual(['2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17', '2026-09-18', '2026-09-19', '2026-09-20']);
  });

  it('a week may span two months and two years', () => {
    const week = periodContaining('weekly', '2025-12-31');
    expect(week).toMatchObject({ start: '2025-12-29', end: '2026-01-05' });
    expect(lastDay(week)).toBe('2026-01-04');
    expect(previousPeriod(periodContaining('weekly', '2026-03-02'))).toMatchObject({ start: '2026-02-23', end: '2026-03-02' });
  });

  it('months have their calendar length, leap years included', () => {
    expect(periodContaining('monthly', '2026-02-14').days).toHaveLength(28);
    expect(periodContaining('monthly', '2024-02-29')).toMatchObject({ start: '2024-02-01', end: '2024-03-01' });
    expect(periodContaining('monthly', '2024-02-29').days).toHaveLength(29);
    expect(periodContaining('monthly', '2026-12-31')).toMatchObject({ start: '2026-12-01', end: '2027-01-01' });
    expect(periodContaining('monthly', '2026-01-01').days).toHaveLength(31);
  });

  it('the previous period is the day, week or calendar month before', () => {
    expect(previousPeriod(periodContaining('daily', '2026-03-01'))).toMatchObject({ start: '2026-02-28', end: '2026-03-01' });
    expect(previousPeriod(periodContaining('monthly', '2026-03-31'))).toMatchObject({ start: '2026-02-01', end: '2026-03-01' });
    expect(previousPeriod(periodContaining('monthly', '2026-01-15'))).toMatchObject({ start: '2025-12-01', end: '2026-01-01' });
  });

  it('defaults to the last complete period', () => {
    const now = new Date('2026-09-15T00:30:00Z'); // a Tuesday
    expect(lastCompletePeriod('daily', now)).toMatchObject({ start: '2026-09-14', end: '2026-09-15' });
    expect(lastCompletePeriod('weekly', now)).toMatchObject({ start: '2026-09-07', end: '2026-09-14' });
    expect(lastCompletePeriod('monthly', now)).toMatchObject({ start: '2026-08-01', end: '2026-09-01' });
    // On a Monday the week that just ended is the last complete one.
    expect(lastCompletePeriod('weekly', new Date('2026-09-14T23:59:59Z'))).toMatchObject({ start: '2026-09-07' });
    expect(lastCompletePeriod('monthly', new Date('2026-01-01T00:00:00Z'))).toMatchObject({ start: '2025-12-01', end: '2026-01-01' });
  });

  it('reads --date as YYYYMMDD and refuses days that do not exist', () => {
    expect(parseReportDay('20260915')).toBe('2026-09-15');
    expect(parseReportDay('20240229')).toBe('2024-02-29');
    for (const bad of ['20260230', '20261301', '2026-09-15', '2026091', 'today', '20250229']) expect(() => parseReportDay(bad)).toThrow(/YYYYMMDD/);
  });
});
