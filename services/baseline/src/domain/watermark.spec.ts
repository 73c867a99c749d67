import { Watermark } from './watermark';

const midnight = (day: string) => Date.parse(`${day}T00:00:00Z`);

describe('Watermark', () => {
  it('is the slowest partition: a day closes only when every partition has passed it', () => {
    const watermark = new Watermark();
    watermark.observe(0, midnight('2026-02-04'));
    watermark.observe(1, midnight('2026-02-02') + 3_600_000);
    expect(watermark.closable(['2026-02-01', '2026-02-02', '2026-02-03'], 0)).toEqual(['2026-02-01']);
    watermark.observe(1, midnight('2026-02-04'));
    expect(watermark.closable(['2026-02-01', '2026-02-02', '2026-02-03'], 0)).toEqual(['2026-02-01', '2026-02-02', '2026-02-03']);
  });

  it('holds the grace period after midnight', () => {
    const watermark = new Watermark();
    watermark.observe(0, midnight('2026-02-02') + 3_600_000);
    expect(watermark.closable(['2026-02-01'], 2 * 3_600_000)).toEqual([]);
    watermark.observe(0, midnight('2026-02-02') + 2 * 3_600_000);
    expect(watermark.closable(['2026-02-01'], 2 * 3_600_000)).toEqual(['2026-02-01']);
  });

  it('moves past midnight only with a record of the next day: a day may come in any order', () => {
    const watermark = new Watermark();
    // The day's last hour first (a replayed day is sorted by record id, not by time).
    watermark.observe(0, midnight('2026-02-02') + 23 * 3_600_000);
    watermark.observe(0, midnight('2026-02-02') + 5 * 3_600_000);
    expect(watermark.closable(['2026-02-02'], 0)).toEqual([]);
    watermark.observe(0, midnight('2026-02-03'));
    expect(watermark.closable(['2026-02-02'], 0)).toEqual(['2026-02-02']);
  });
});
