import { MAX_EVENT_TIME_LEAD_MS, Watermark } from './watermark';

const HOUR_MS = 3_600_000;
const midnight = (day: string) => Date.parse(`${day}T00:00:00Z`);
const NOW = midnight('2026-12-07') + 15 * HOUR_MS;

/** A partition's records of one instant, as many series deliver them. */
function observeHour(watermark: Watermark, partition: number, startMs: number, series = 3): void {
  for (let s = 0; s < series; s += 1) watermark.observe(partition, startMs, `p${partition}-s${s}-${startMs}`);
}

describe('Watermark', () => {
  it('is the slowest partition: a day closes only when every partition has passed it', () => {
    const watermark = new Watermark(() => NOW);
    observeHour(watermark, 0, midnight('2026-02-04'));
    observeHour(watermark, 1, midnight('2026-02-02') + HOUR_MS);
    expect(watermark.closable(['2026-02-01', '2026-02-02', '2026-02-03'], 0)).toEqual(['2026-02-01']);
    observeHour(watermark, 1, midnight('2026-02-04'));
    expect(watermark.closable(['2026-02-01', '2026-02-02', '2026-02-03'], 0)).toEqual(['2026-02-01', '2026-02-02', '2026-02-03']);
  });

  it('holds the grace period after midnight', () => {
    const watermark = new Watermark(() => NOW);
    observeHour(watermark, 0, midnight('2026-02-02') + HOUR_MS);
    expect(watermark.closable(['2026-02-01'], 2 * HOUR_MS)).toEqual([]);
    observeHour(watermark, 0, midnight('2026-02-02') + 2 * HOUR_MS);
    expect(watermark.closable(['2026-02-01'], 2 * HOUR_MS)).toEqual(['2026-02-01']);
  });

  it('moves past midnight only with records of the next day: a day may come in any order', () => {
    const watermark = new Watermark(() => NOW);
    // The day's last hour first (a replayed day is sorted by record id, not by time).
    observeHour(watermark, 0, midnight('2026-02-02') + 23 * HOUR_MS);
    observeHour(watermark, 0, midnight('2026-02-02') + 5 * HOUR_MS);
    expect(watermark.closable(['2026-02-02'], 0)).toEqual([]);
    observeHour(watermark, 0, midnight('2026-02-03'));
    expect(watermark.closable(['2026-02-02'], 0)).toEqual(['2026-02-02']);
  });

  it('a partition with a single record counts it', () => {
    const watermark = new Watermark(() => NOW);
    watermark.observe(0, midnight('2026-02-03'), 'only');
    expect(watermark.closable(['2026-02-01', '2026-02-02'], 0)).toEqual(['2026-02-01', '2026-02-02']);
  });

  describe('ignores outliers, so one bad record never closes days', () => {
    const open = ['2026-09-10', '2026-09-11', '2026-09-12'];

    it('a single record far ahead of its partition (a forged date in the past of the wall clock)', () => {
      const watermark = new Watermark(() => NOW);
      observeHour(watermark, 0, midnight('2026-09-12') + 10 * HOUR_MS);
      watermark.observe(0, midnight('2026-11-30'), 'forged');
      expect(watermark.value).toBe(midnight('2026-09-12') + 10 * HOUR_MS);
      expect(watermark.closable(open, 2 * HOUR_MS)).toEqual(['2026-09-10', '2026-09-11']);
    });

    it('the same outlier delivered again (redelivery, a retried batch) still counts once', () => {
      const watermark = new Watermark(() => NOW);
      observeHour(watermark, 0, midnight('2026-09-12') + 10 * HOUR_MS);
      for (let i = 0; i < 5; i += 1) watermark.observe(0, midnight('2026-11-30'), 'forged');
      expect(watermark.closable(open, 2 * HOUR_MS)).toEqual(['2026-09-10', '2026-09-11']);
    });

    it('a record starting in year 9999 or 2099, even as the first of its partition', () => {
      const watermark = new Watermark(() => NOW);
      watermark.observe(0, Date.parse('9999-12-31T00:00:00Z'), 'y9999');
      watermark.observe(0, Date.parse('2099-09-01T00:00:00Z'), 'y2099');
      expect(watermark.has(0)).toBe(false);
      expect(watermark.value).toBeUndefined();
      observeHour(watermark, 0, midnight('2026-09-11') + 3 * HOUR_MS);
      expect(watermark.closable(open, 2 * HOUR_MS)).toEqual(['2026-09-10']);
    });

    it('up to MAX_EVENT_TIME_LEAD_MS ahead of the wall clock is still observed', () => {
      const watermark = new Watermark(() => NOW);
      watermark.observe(0, NOW + MAX_EVENT_TIME_LEAD_MS, 'edge');
      watermark.observe(1, NOW + MAX_EVENT_TIME_LEAD_MS + 1, 'beyond');
      expect(watermark.has(0)).toBe(true);
      expect(watermark.has(1)).toBe(false);
    });

    it('a step forward of more than a day is taken once two records reach it', () => {
      const watermark = new Watermark(() => NOW);
      observeHour(watermark, 0, midnight('2026-09-11') + 10 * HOUR_MS);
      watermark.observe(0, midnight('2026-09-13') + 3 * HOUR_MS, 'a');
      expect(watermark.closable(open, 2 * HOUR_MS)).toEqual(['2026-09-10']);
      watermark.observe(0, midnight('2026-09-13') + 3 * HOUR_MS, 'b');
      expect(watermark.closable(open, 2 * HOUR_MS)).toEqual(open);
    });

    it('one record at most a day ahead moves it: a daily series alone on its partition is not held a day behind', () => {
      const watermark = new Watermark(() => NOW);
      for (const day of ['2026-09-10', '2026-09-11', '2026-09-12', '2026-09-13']) watermark.observe(0, midnight(day), `daily-${day}`);
      expect(watermark.closable(open, 0)).toEqual(open);
    });
  });
});
