import { evaluate, type BaselineStats } from '@costwatch/detection';
import { RuleBook, buildDetectionRule } from './detection-rules';
import { parseSeriesMatcher } from './series-matcher';

const AS_OF = Date.UTC(2026, 2, 10);
const baseline: BaselineStats = { windowStartMs: AS_OF - 30 * 86_400_000, asOfMs: AS_OF, count: 720, mean: 10, std: 1, median: 10, mad: 0.7, meanAbsDev: 0.8, min: 8, max: 12 };
const series = { domainId: 'd1', projectId: 'p1', serviceId: 'compute', currency: 'USD', serviceName: 'VM' };
const at = AS_OF + 5 * 3_600_000;

describe('detection rules from configuration', () => {
  it('defaults to the seed rule: z > 3 OR ratio > 2 against the mean', () => {
    const rule = new RuleBook({}).global;
    expect(rule.name).toBe('seed');
    expect(rule.expressionText).toBe('z > 3 OR ratio > 2');
    expect(evaluate({ timestampMs: at, value: 14 }, baseline, rule).verdict).toBe('anomaly');
    expect(evaluate({ timestampMs: at, value: 12 }, baseline, rule).verdict).toBe('normal');
  });

  it('absolute and relative impact floors are ANDed onto the expression', () => {
    const rule = new RuleBook({ minAbsDelta: 5, minRelDelta: 0.45 }).global;
    expect(rule.expressionText).toBe('(z > 3 OR ratio > 2) AND absDelta >= 5 AND relDelta >= 0.45');
    expect(evaluate({ timestampMs: at, value: 14 }, baseline, rule).verdict).toBe('normal');
    expect(evaluate({ timestampMs: at, value: 16 }, baseline, rule).verdict).toBe('anomaly');
  });

  it('the billing preset brings its guards (drop-to-zero, minimum history of 7 days)', () => {
    const rule = buildDetectionRule({ preset: 'billing' });
    expect(rule.minHistory).toBe(168);
    expect(rule.dropToZero).toEqual({ minExpected: 0.01 });
    expect(evaluate({ timestampMs: at, value: 0 }, baseline, rule).verdict).toBe('drop-to-zero');
  });

  it('guards can be switched off: no first-seen on a series without history', () => {
    const empty: BaselineStats = { ...baseline, count: 0, mean: 0, std: 0, median: 0, mad: 0, meanAbsDev: 0 };
    expect(evaluate({ timestampMs: at, value: 5 }, empty, new RuleBook({}).global).verdict).toBe('first-seen');
    expect(evaluate({ timestampMs: at, value: 5 }, empty, new RuleBook({ firstSeenMin: null }).global).verdict).toBe('cold-start');
  });

  it('per-series overrides: first match wins and inherits what it does not state', () => {
    const book = new RuleBook({ minAbsDelta: 1 }, [
      { matchers: [parseSeriesMatcher('project=p1'), parseSeriesMatcher('service=~comp.*')], settings: { name: 'strict', expression: 'z > 10' } },
      { matchers: [parseSeriesMatcher('domain=d1')], settings: { preset: 'billing' } },
    ]);
    expect(book.ruleFor('a', series).expressionText).toBe('z > 10 AND absDelta >= 1');
    expect(book.ruleFor('a', series).name).toBe('strict');
    expect(book.ruleFor('b', { ...series, serviceId: 'storage' }).expressionText).toBe('abs(seasonalZ) > 10 AND relDelta >= 0.5 AND absDelta >= 1');
    expect(book.ruleFor('c', { ...series, domainId: 'd2', projectId: 'p2' }).name).toBe('seed');
  });

  it('rejects bad matchers with the reason', () => {
    expect(() => parseSeriesMatcher('region=eu')).toThrow(/unknown label "region"/);
    expect(() => parseSeriesMatcher('service=~(')).toThrow(/invalid regex/);
  });

  it('money settings are per currency: floors and severity levels scale with the currency\'s units; the same override applies', () => {
    const book = new RuleBook({ minAbsDelta: 10, severity: { warning: 10, critical: 100 } }, [{ matchers: [parseSeriesMatcher('project=sandbox')], settings: { minAbsDelta: 50 } }], { KRW: 1000 });
    const usd = book.ruleFor('d|p|s|USD', { domainId: 'd', projectId: 'p', serviceId: 's', serviceName: 's', currency: 'USD' });
    const krw = book.ruleFor('d|p|s|KRW', { domainId: 'd', projectId: 'p', serviceId: 's', serviceName: 's', currency: 'KRW' });
    expect(usd).toBe(book.global);
    expect(krw.severity).toEqual({ warning: 10_000, critical: 100_000 });
    expect(krw.expressionText).toContain('absDelta >= 10000');
    const sandbox = book.ruleFor('d|sandbox|s|KRW', { domainId: 'd', projectId: 'sandbox', serviceId: 's', serviceName: 's', currency: 'KRW' });
    expect([sandbox.name, sandbox.expressionText]).toEqual(['override-1', expect.stringContaining('absDelta >= 50000')]);
  });
});
