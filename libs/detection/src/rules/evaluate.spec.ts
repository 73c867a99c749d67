import type { BaselineStats } from '../baseline/baseline-stats';
import { MAD_TO_SIGMA } from '../statistics/descriptive-statistics';
import { MS } from '../time/duration';
import { HOUR_OF_WEEK } from '../time/seasonal-slot';
import { compileRule, SEED_RULE, type DetectionRule } from './detection-rule';
import { evaluate } from './evaluate';
import { severityFromImpact } from './severity';

const DAY = Date.UTC(2024, 2, 4); // a Monday, 00:00 UTC
const AT = DAY + 10 * MS.hour;

function baseline(overrides: Partial<BaselineStats> = {}): BaselineStats {
  return {
    windowStartMs: DAY - 30 * MS.day,
    asOfMs: DAY,
    count: 720,
    mean: 10,
    std: 2,
    median: 9,
    mad: 1,
    meanAbsDev: 1.5,
    min: 5,
    max: 20,
    ...overrides,
  };
}

describe('evaluate with the seed rule (z > 3 OR ratio > 2)', () => {
  it('fires on z: x = 17 → z = 3.5, ratio 1.7', () => {
    const j = evaluate({ timestampMs: AT, value: 17 }, baseline(), SEED_RULE);
    expect(j.anomalous).toBe(true);
    expect(j.verdict).toBe('anomaly');
    expect(j.observed).toBe(17);
    expect(j.expected).toBe(10);
    expect(j.delta).toBe(7);
    expect(j.z).toBe(3.5);
    expect(j.ratio).toBe(1.7);
    expect(j.robustZ).toBeCloseTo(8 / MAD_TO_SIGMA, 12);
    expect(j.firedBy).toEqual(['z > 3']);
    expect(j.rule).toBe('seed: z > 3 OR ratio > 2');
    expect(j.severity).toBe('info');
    expect(j.baselineWindow).toEqual({ startMs: DAY - 30 * MS.day, endMs: DAY });
    expect(j.baselineCount).toBe(720);
  });

  it('fires on both and grades severity by $ impact: x = 21 → z 5.5, ratio 2.1, +$11', () => {
    const j = evaluate({ timestampMs: AT, value: 21 }, baseline(), SEED_RULE);
    expect(j.firedBy).toEqual(['z > 3', 'ratio > 2']);
    expect(j.severity).toBe('warning');
  });

  it('does not fire at the thresholds themselves (strict >): x = 16 → z = 3, ratio 1.6', () => {
    const j = evaluate({ timestampMs: AT, value: 16 }, baseline(), SEED_RULE);
    expect(j.anomalous).toBe(false);
    expect(j.verdict).toBe('normal');
    expect(j.severity).toBeNull();
    expect(j.firedBy).toEqual([]);
  });

  it('is one-sided: a drop is not a seed anomaly', () => {
    expect(evaluate({ timestampMs: AT, value: 0.5 }, baseline(), SEED_RULE).anomalous).toBe(false);
  });
});

describe('zero spread (std = 0, MAD = 0)', () => {
  const flat = baseline({ mean: 5, std: 0, median: 5, mad: 0, meanAbsDev: 0, min: 5, max: 5 });

  it('an unchanged value scores z = 0', () => {
    const j = evaluate({ timestampMs: AT, value: 5 }, flat, SEED_RULE);
    expect(j.z).toBe(0);
    expect(j.robustZ).toBe(0);
    expect(j.ratio).toBe(1);
    expect(j.anomalous).toBe(false);
  });

  it('any change scores ±∞ (no division by zero, no NaN)', () => {
    const up = evaluate({ timestampMs: AT, value: 5.01 }, flat, SEED_RULE);
    expect(up.z).toBe(Number.POSITIVE_INFINITY);
    expect(up.anomalous).toBe(true);
    const down = evaluate({ timestampMs: AT, value: 4 }, flat, SEED_RULE);
    expect(down.z).toBe(Number.NEGATIVE_INFINITY);
    expect(down.anomalous).toBe(false);
  });

  it('a relative scale floor turns cents into small z: floor 1% of 5 = 0.05 → z = 0.2', () => {
    const rule: DetectionRule = { ...SEED_RULE, scaleFloor: { absolute: 0, relative: 0.01 } };
    expect(evaluate({ timestampMs: AT, value: 5.01 }, flat, rule).z).toBeCloseTo(0.2, 12);
  });

  it('the robust z falls back on the mean absolute deviation when MAD = 0', () => {
    const tied = baseline({ median: 3, mad: 0, meanAbsDev: 1.4 });
    const j = evaluate({ timestampMs: AT, value: 10 }, tied, { name: 'robust', expression: 'robustZ > 3' });
    expect(j.robustZ).toBeCloseTo(7 / (1.2533 * 1.4), 12);
  });
});

describe('ratio edge cases', () => {
  it('over a zero mean: 1 for 0, +∞ for a cost', () => {
    const zero = baseline({ mean: 0, std: 0, median: 0, mad: 0, meanAbsDev: 0 });
    const noFirstSeen: DetectionRule = { ...SEED_RULE, firstSeen: null };
    expect(evaluate({ timestampMs: AT, value: 0 }, zero, noFirstSeen).ratio).toBe(1);
    expect(evaluate({ timestampMs: AT, value: 3 }, zero, noFirstSeen).ratio).toBe(Number.POSITIVE_INFINITY);
  });

  it('is NaN (never fires) over a negative mean (credits)', () => {
    const credits = baseline({ mean: -4 });
    const j = evaluate({ timestampMs: AT, value: 100 }, credits, { name: 'r', expression: 'ratio > 2' });
    expect(j.ratio).toBeNaN();
    expect(j.anomalous).toBe(false);
  });
});

describe('guards', () => {
  it('cold start: too little history never alerts', () => {
    const j = evaluate({ timestampMs: AT, value: 1e6 }, baseline({ count: 10 }), { ...SEED_RULE, minHistory: 24 });
    expect(j.verdict).toBe('cold-start');
    expect(j.anomalous).toBe(false);
    expect(j.rule).toBe('seed: cold-start');
  });

  it('first-seen: a series with no history that now costs is reported, expected 0', () => {
    const empty = baseline({ count: 0, mean: Number.NaN, std: Number.NaN, median: Number.NaN, mad: Number.NaN, meanAbsDev: Number.NaN });
    const j = evaluate({ timestampMs: AT, value: 250 }, empty, { ...SEED_RULE, minHistory: 24 });
    expect(j.verdict).toBe('first-seen');
    expect(j.anomalous).toBe(true);
    expect(j.expected).toBe(0);
    expect(j.delta).toBe(250);
    expect(j.severity).toBe('critical');
    expect(evaluate({ timestampMs: AT, value: 0 }, empty, SEED_RULE).verdict).toBe('cold-start');
  });

  it('first-seen also covers a history of zeros, and respects its floor', () => {
    const zeros = baseline({ mean: 0, std: 0, median: 0, mad: 0, meanAbsDev: 0, min: 0, max: 0 });
    expect(evaluate({ timestampMs: AT, value: 2 }, zeros, SEED_RULE).verdict).toBe('first-seen');
    expect(evaluate({ timestampMs: AT, value: 2 }, zeros, { ...SEED_RULE, firstSeen: { minObserved: 5 } }).verdict).toBe('anomaly');
  });

  it('drop-to-zero fires whatever the expression says, only above its expected floor', () => {
    const rule: DetectionRule = { ...SEED_RULE, dropToZero: { minExpected: 1 } };
    const j = evaluate({ timestampMs: AT, value: 0 }, baseline(), rule);
    expect(j.verdict).toBe('drop-to-zero');
    expect(j.delta).toBe(-10);
    expect(j.severity).toBe('warning');
    expect(evaluate({ timestampMs: AT, value: 0 }, baseline({ mean: 0.5 }), rule).verdict).toBe('normal');
  });

  it('recurring: a spike equal (±25%) to last month’s value at the same instant is expected', () => {
    const rule: DetectionRule = { ...SEED_RULE, recurring: { tolerance: 0.25 } };
    const same = evaluate({ timestampMs: AT, value: 110, previousMonthValue: 100 }, baseline(), rule);
    expect(same.verdict).toBe('recurring');
    expect(same.anomalous).toBe(false);
    expect(same.firedBy).toEqual(['z > 3', 'ratio > 2']);
    expect(evaluate({ timestampMs: AT, value: 110, previousMonthValue: 50 }, baseline(), rule).verdict).toBe('anomaly');
    expect(evaluate({ timestampMs: AT, value: 110 }, baseline(), rule).verdict).toBe('anomaly');
  });

  it('recurring reads last month from the baseline when the caller does not pass it', () => {
    const rule: DetectionRule = { ...SEED_RULE, recurring: { tolerance: 0.25 } };
    const withLastMonth = baseline({ previousMonth: { startMs: DAY, stepMs: MS.hour, values: [...Array(10).fill(1), 105] } });
    expect(evaluate({ timestampMs: AT, value: 110 }, withLastMonth, rule).verdict).toBe('recurring');
  });
});

describe('seasonal expectation', () => {
  const median = new Array<number>(168).fill(Number.NaN);
  const mad = new Array<number>(168).fill(Number.NaN);
  const count = new Array<number>(168).fill(0);
  median[10] = 40; // Monday 10:00
  mad[10] = 2;
  count[10] = 4;
  const seasonal = baseline({ seasonal: { layout: HOUR_OF_WEEK, median, mad, count, pooledMad: 1 } });
  const rule: DetectionRule = { name: 'seasonal', expression: 'abs(seasonalZ) > 5', expected: 'seasonal' };

  it('judges against the slot median with max(slot MAD, pooled MAD)', () => {
    const j = evaluate({ timestampMs: AT, value: 60 }, seasonal, rule);
    expect(j.expected).toBe(40);
    expect(j.seasonalZ).toBeCloseTo(20 / (MAD_TO_SIGMA * 2), 12);
    expect(j.delta).toBe(20);
    expect(j.anomalous).toBe(true);
    expect(j.relDelta).toBe(0.5);
  });

  it('falls back on the overall median and robust scale for an empty slot', () => {
    const j = evaluate({ timestampMs: AT + MS.hour, value: 9 }, seasonal, rule);
    expect(j.expected).toBe(9);
    expect(j.seasonalZ).toBe(0);
  });
});

describe('compiled rules', () => {
  it('accept the typed object form and give the same judgement as the string form', () => {
    const typed = compileRule({
      name: 'typed',
      expression: { all: [{ any: [{ score: 'z', op: '>', value: 3 }, { score: 'ratio', op: '>', value: 2 }] }, { score: 'absDelta', op: '>=', value: 10 }] },
    });
    const text = compileRule({ name: 'typed', expression: '(z > 3 OR ratio > 2) AND absDelta >= 10' });
    expect(typed.expressionText).toBe(text.expressionText);
    for (const value of [12, 17, 21, 40]) {
      expect(evaluate({ timestampMs: AT, value }, baseline(), typed)).toEqual(evaluate({ timestampMs: AT, value }, baseline(), text));
    }
    // The $10 impact floor: x = 17 has z 3.5 but only +$7.
    expect(evaluate({ timestampMs: AT, value: 17 }, baseline(), typed).anomalous).toBe(false);
    expect(evaluate({ timestampMs: AT, value: 21 }, baseline(), typed).anomalous).toBe(true);
  });
});

describe('severityFromImpact', () => {
  it('grades |impact| against the warning and critical levels', () => {
    expect(severityFromImpact(9.99)).toBe('info');
    expect(severityFromImpact(10)).toBe('warning');
    expect(severityFromImpact(-150)).toBe('critical');
    expect(severityFromImpact(50, { warning: 100, critical: 1000 })).toBe('info');
  });
});

describe('zero-inflated guard (intermittent series)', () => {
  const rule: DetectionRule = { name: 'zi', expression: 'z > 3 OR ratio > 2', expected: 'mean', dropToZero: { minExpected: 0.01 }, zeroInflated: true };
  const intermittent = baseline({ min: 0, max: 20 });

  it('an off hour of a series whose history has off hours is normal, not a drop to zero', () => {
    expect(evaluate({ timestampMs: AT, value: 0 }, intermittent, rule).verdict).toBe('normal');
    // The same zero on an always-on history (min 5) is still a drop to zero.
    expect(evaluate({ timestampMs: AT, value: 0 }, baseline(), rule).verdict).toBe('drop-to-zero');
  });

  it('an on hour within the range already seen is normal; beyond it, the expression judges', () => {
    // x = 19 ≤ max 20: normal although z = (19 − 10) / 2 = 4.5 > 3.
    expect(evaluate({ timestampMs: AT, value: 19 }, intermittent, rule).verdict).toBe('normal');
    // x = 25 > max 20: z = 7.5 → anomaly.
    expect(evaluate({ timestampMs: AT, value: 25 }, intermittent, rule).verdict).toBe('anomaly');
  });

  it('is off by default', () => {
    const { zeroInflated: _off, ...plain } = rule;
    expect(evaluate({ timestampMs: AT, value: 19 }, intermittent, plain).verdict).toBe('anomaly');
    expect(compileRule(plain).zeroInflated).toBe(false);
  });
});
