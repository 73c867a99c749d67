import { HOUR_OF_WEEK, compileRule, type BaselineStats } from '@costwatch/detection';
import { buildDetectionRule } from './detection-rules';
import { hourlyRule, judgeValue, trailingBaseline, type JudgedBaseline } from './judge-value';

const asOfMs = Date.parse('2026-03-10T00:00:00Z');
const stats = (mean: number, std: number, count: number): BaselineStats => ({ windowStartMs: asOfMs - 30 * 86_400_000, asOfMs, count, mean, std, median: mean, mad: std * 0.67, meanAbsDev: std * 0.8, min: 0, max: mean + 3 * std });
const t = asOfMs + 5 * 3_600_000;

describe('judgeValue', () => {
  // A batch job: off 60 % of hours, 10 an hour while it runs (whole-window mean 4).
  const batch = { stats: stats(4, 4.9, 720), activeFraction: 0.4, active: stats(10, 0.5, 288) };

  it('an intermittent series is never an anomaly for being off, even with drop-to-zero on (billing preset)', () => {
    const rule = compileRule(buildDetectionRule({ preset: 'billing' }));
    expect(judgeValue(t, 0, batch, rule, asOfMs)).toMatchObject({ anomalous: false, verdict: 'normal' });
  });

  it('is judged on its cost while active: its usual cost is normal (the whole-window mean would call it a ratio-2.5 spike), 5× is not', () => {
    const rule = compileRule(buildDetectionRule({ preset: 'seed' }));
    expect(judgeValue(t, 10.4, { ...batch, activeFraction: 1, active: null }, rule, asOfMs).anomalous).toBe(true);
    expect(judgeValue(t, 10.4, batch, rule, asOfMs)).toMatchObject({ anomalous: false, expected: 10 });
    expect(judgeValue(t, 50, batch, rule, asOfMs)).toMatchObject({ anomalous: true, expected: 10 });
  });

  it('the extreme preset judges against the last 7 days\' range (the stored recent window)', () => {
    const rule = compileRule(buildDetectionRule({ preset: 'extreme' }));
    const baseline = { stats: stats(10, 0.5, 720), activeFraction: 1, active: null, recent: { ...stats(10, 0.5, 168), min: 9, max: 11 } };
    expect(judgeValue(t, 10.5, baseline, rule, asOfMs, 'recent').anomalous).toBe(false);
    expect(judgeValue(t, 40, baseline, rule, asOfMs, 'recent')).toMatchObject({ anomalous: true, rule: 'extreme: abs(extremeZ) > 1' });
  });

  it('an always-on series keeps drop-to-zero', () => {
    const rule = compileRule(buildDetectionRule({ preset: 'billing' }));
    expect(judgeValue(t, 0, { stats: stats(10, 0.5, 720), activeFraction: 1, active: null }, rule, asOfMs).verdict).toBe('drop-to-zero');
  });
});

describe('hourlyRule', () => {
  const rule = compileRule({ name: 'r', expression: 'z > 3', dropToZero: { minExpected: 1 } });
  const baseline = (activeFraction: number): JudgedBaseline => ({ stats: { windowStartMs: 0, asOfMs: 0, count: 720, mean: 10, std: 1, median: 10, mad: 0.7, meanAbsDev: 0.8, min: 7, max: 13 }, activeFraction, active: null });

  it('a zero hour of a series off in a few hours a month (spot capacity) is not a drop; of one on in every hour it is', () => {
    expect(judgeValue(0, 0, baseline(0.97), hourlyRule(rule, baseline(0.97)), 0).verdict).toBe('normal');
    expect(judgeValue(0, 0, baseline(1), hourlyRule(rule, baseline(1)), 0).verdict).toBe('drop-to-zero');
  });
});

describe('trailingBaseline', () => {
  it('expects the 24 hours\' own hour-of-week costs: Friday afternoon into Saturday morning of a weekday-only series', () => {
    // Weekdays 09:00-17:00 cost 10 an hour, everything else 0.
    const median = Array.from({ length: 168 }, (_, slot) => (Math.floor(slot / 24) < 5 && slot % 24 >= 9 && slot % 24 < 17 ? 10 : 0));
    const seasonal = { layout: HOUR_OF_WEEK, median, mad: new Array<number>(168).fill(0), count: new Array<number>(168).fill(4), pooledMad: 0 };
    const hourly: JudgedBaseline = { stats: { windowStartMs: 0, asOfMs: 0, count: 720, mean: 2.4, std: 4, median: 0, mad: 0, meanAbsDev: 3, min: 0, max: 10, seasonal }, activeFraction: 0.24, active: null };
    const daily: JudgedBaseline = { stats: { windowStartMs: 0, asOfMs: 0, count: 30, mean: 57, std: 38, median: 80, mad: 2, meanAbsDev: 30, min: 0, max: 82 }, activeFraction: 0.71, active: null };
    // Saturday 2026-03-14 10:00 UTC: the window runs from Friday 11:00, so it holds 6 office hours.
    const window = trailingBaseline(hourly, daily, Date.parse('2026-03-14T10:00:00Z'));
    expect(window?.stats.median).toBe(60);
    expect(window?.stats.mad).toBe(2);
    expect(window?.stats.count).toBe(30);
    // Under three weeks of history its schedule is not known yet: not judged.
    expect(trailingBaseline({ ...hourly, stats: { ...hourly.stats, seasonal: { ...seasonal, count: new Array<number>(168).fill(2) } } }, daily, Date.parse('2026-03-14T10:00:00Z'))).toBeNull();
  });

  it('an always-on series with slots seen fewer than three times expects its overall hourly median there', () => {
    const seasonal = { layout: HOUR_OF_WEEK, median: new Array<number>(168).fill(12), mad: new Array<number>(168).fill(1), count: new Array<number>(168).fill(2), pooledMad: 1 };
    const hourly: JudgedBaseline = { stats: { windowStartMs: 0, asOfMs: 0, count: 216, mean: 10, std: 1.7, median: 10, mad: 1, meanAbsDev: 1.4, min: 7, max: 13, seasonal }, activeFraction: 1, active: null };
    const daily: JudgedBaseline = { stats: { windowStartMs: 0, asOfMs: 0, count: 9, mean: 240, std: 8, median: 240, mad: 5, meanAbsDev: 6, min: 228, max: 252 }, activeFraction: 1, active: null };
    expect(trailingBaseline(hourly, daily, Date.parse('2026-03-11T09:00:00Z'))?.stats.median).toBe(240);
  });
});

