import { billingDay } from './rollup-keys';

describe('billingDay', () => {
  it("a daily record belongs to the source's own calendar day: KST, UTC or US time", () => {
    // KakaoCloud's 2026-11-01 in KST: 2026-10-31T15:00Z to 2026-11-01T15:00Z.
    expect(billingDay({ granularity: 'DAILY', periodStart: '2026-11-01T00:00:00+09:00' })).toBe('2026-11-01');
    expect(billingDay({ granularity: 'DAILY', periodStart: '2026-10-31T15:00:00.000Z' })).toBe('2026-11-01');
    expect(billingDay({ granularity: 'DAILY', periodStart: '2026-11-01T00:00:00Z' })).toBe('2026-11-01');
    expect(billingDay({ granularity: 'DAILY', periodStart: '2026-11-01T00:00:00-08:00' })).toBe('2026-11-01');
  });

  it('a month-long purchase belongs to the day it starts (in UTC and in KST)', () => {
    expect(billingDay({ granularity: 'DAILY', periodStart: '2024-09-01T00:00:00Z' })).toBe('2024-09-01');
    expect(billingDay({ granularity: 'DAILY', periodStart: '2024-08-31T15:00:00Z' })).toBe('2024-09-01');
  });

  it('an hourly record belongs to the UTC date of its start', () => {
    expect(billingDay({ granularity: 'HOURLY', periodStart: '2026-11-01T23:00:00Z' })).toBe('2026-11-01');
    expect(billingDay({ granularity: 'HOURLY', periodStart: '2026-11-01T08:00:00+09:00' })).toBe('2026-10-31');
  });
});
