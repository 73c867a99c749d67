import { rollupDay } from './day-rollup';
import { Watermark } from './watermark';

describe('rollupDay', () => {
  it('sums hourly records exactly into their hours and the day', () => {
    const rollup = rollupDay([
      { source: 'synthetic', granularity: 'HOURLY', amount: '0.1', hour: 0 },
      { source: 'synthetic', granularity: 'HOURLY', amount: '0.2', hour: 0 },
      { source: 'synthetic', granularity: 'HOURLY', amount: '1.0000000001', hour: 23 },
    ]);
    expect(rollup.hours[0]).toBe('0.3');
    expect(rollup.hours[23]).toBe('1.0000000001');
    expect(rollup.hours[5]).toBe('0');
    expect(rollup.total).toBe('1.3000000001');
    expect(rollup.hourCounts[0]).toBe(2);
  });

  it('counts a source reporting both DAILY and HOURLY once, and adds different sources', () => {
    const rollup = rollupDay([
      { source: 'aws-cost-explorer', granularity: 'DAILY', amount: '24', hour: 0 },
      { source: 'aws-cost-explorer', granularity: 'HOURLY', amount: '10', hour: 3 },
      { source: 'aws-cost-explorer', granularity: 'HOURLY', amount: '13.5', hour: 4 },
      { source: 'focus', granularity: 'DAILY', amount: '-2.5', hour: 0 },
    ]);
    expect(rollup.total).toBe('21.5');
    expect(rollup.hours[3]).toBe('10');
  });
});

describe('Watermark', () => {
  const t = (iso: string) => Date.parse(iso);

  it('follows the slowest partition that has data', () => {
    const watermark = new Watermark();
    watermark.observe(0, t('2026-11-03T05:00:00Z'), 'a');
    watermark.observe(0, t('2026-11-03T05:00:00Z'), 'b');
    watermark.observe(1, t('2026-11-02T03:00:00Z'), 'c');
    watermark.observe(0, t('2026-11-02T00:00:00Z'), 'd');
    expect(watermark.value).toBe(t('2026-11-02T03:00:00Z'));
  });

  it('closes a day once the watermark passes its end plus the grace period', () => {
    const watermark = new Watermark();
    watermark.observe(0, t('2026-11-03T01:00:00Z'), 'a');
    const grace = 2 * 3_600_000;
    expect(watermark.closable(['2026-11-02', '2026-11-01', '2026-11-03'], grace)).toEqual(['2026-11-01']);
    watermark.observe(0, t('2026-11-03T02:00:00Z'), 'b');
    watermark.observe(0, t('2026-11-03T02:00:00Z'), 'c');
    expect(watermark.closable(['2026-11-02', '2026-11-01'], grace)).toEqual(['2026-11-01', '2026-11-02']);
  });
});
