import { MS } from '@costwatch/detection';
import { alertsPerThousandSeriesDays, scoredDays } from './false-alert-rate';

const hourly = (n: number) => ({ timestamps: Float64Array.from({ length: n }, (_, i) => i * MS.hour) });

describe('false-alert rate', () => {
  it('counts the scored days of a series after its probation', () => {
    // 240 hourly rows, 15% probation = 36 rows: rows 36…239 are scored, 204 hours = 8.5 days.
    expect(scoredDays(hourly(240), 0.15)).toBeCloseTo(8.5, 12);
    expect(scoredDays(hourly(240), 0)).toBeCloseTo(10, 12);
    expect(scoredDays(hourly(1), 0.15)).toBe(0);
  });

  it('is alerts per 1,000 series-days', () => {
    expect(alertsPerThousandSeriesDays(3, 1500)).toBe(2);
    expect(alertsPerThousandSeriesDays(0, 1500)).toBe(0);
    expect(alertsPerThousandSeriesDays(1, 0)).toBeNaN();
  });
});
