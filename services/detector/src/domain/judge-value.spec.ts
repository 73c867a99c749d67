import { compileRule, type BaselineStats } from '@costwatch/detection';
import { buildDetectionRule } from './detection-rules';
import { judgeValue } from './judge-value';

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
