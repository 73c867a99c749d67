import { computeBaseline, SeededRandom, SEED_RULE, evaluate, MS, HOUR_OF_WEEK, type DetectionRule, type Judgement } from '@costwatch/detection';
import { RuleDetector, type RuleDetectorOptions } from './rule.detector';

const START = Date.UTC(2024, 0, 1);

/** Hourly cost with a daily cycle and noise, seeded. */
function billingLike(days: number, seed: number): { timestamps: number[]; values: number[] } {
  const random = new SeededRandom(seed);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let h = 0; h < days * 24; h++) {
    timestamps.push(START + h * MS.hour);
    values.push(Math.round(100 * (20 + 8 * Math.sin((2 * Math.PI * h) / 24) + random.normal(0, 1.5))) / 100);
  }
  return { timestamps, values };
}

function replay(options: RuleDetectorOptions, timestamps: readonly number[], values: readonly number[]): Array<Judgement | null> {
  const detector = new RuleDetector(options);
  return values.map((value, i) => {
    detector.update(timestamps[i] as number, value);
    return detector.explainLast();
  });
}

function anomalousIndices(options: RuleDetectorOptions, timestamps: readonly number[], values: readonly number[]): number[] {
  const detector = new RuleDetector(options);
  return values.flatMap((value, i) => (detector.update(timestamps[i] as number, value) ? [i] : []));
}

const SERVICE_LIKE: RuleDetectorOptions = {
  rule: { ...SEED_RULE, expression: 'z > 3 OR ratio > 2 OR abs(seasonalZ) > 6', minHistory: 24 },
  windowMs: 30 * MS.day,
  seasonal: HOUR_OF_WEEK,
  refreshMs: MS.day,
};

describe('RuleDetector: no look-ahead', () => {
  const { timestamps, values } = billingLike(45, 1);
  // Some spikes so that anomalies (and their scores) are part of the comparison.
  for (const h of [400, 555, 800, 1001]) values[h] = (values[h] as number) * 4;

  it('replay ≡ live: each hour of day D is judged exactly as evaluate() against computeBaseline(data before D)', () => {
    const streamed = replay(SERVICE_LIKE, timestamps, values);
    let anomalies = 0;
    let lastDay = -1;
    let baselineOfDay = computeBaseline([], [], { asOfMs: START });
    for (let i = 0; i < values.length; i++) {
      const t = timestamps[i] as number;
      const day = Math.floor((t - START) / MS.day);
      if (day !== lastDay) {
        lastDay = day;
        // What the baseline service stores when day D − 1 closes, from the history only.
        baselineOfDay = computeBaseline(values.slice(0, i), timestamps.slice(0, i), { asOfMs: START + day * MS.day });
      }
      const live = evaluate({ timestampMs: t, value: values[i] as number }, baselineOfDay, SERVICE_LIKE.rule as DetectionRule);
      // Same kernel, same window, same rule: the whole judgement is identical, not just close.
      expect(streamed[i]).toEqual(live);
      if (live.anomalous) anomalies++;
    }
    expect(anomalies).toBeGreaterThan(3);
  });

  it('the judgement of hour H of day D does not change when anything from day D on (except H itself) changes', () => {
    const day = 35;
    const i = day * 24 + 13; // 13:00 on day 35
    const original = replay(SERVICE_LIKE, timestamps, values)[i];
    const tampered = values.map((v, k) => (k >= day * 24 && k !== i ? v * 50 + 1000 : v));
    expect(replay(SERVICE_LIKE, timestamps, tampered)[i]).toEqual(original);
  });

  it('a rolling (refresh 0) detector ignores every later point', () => {
    const rolling: RuleDetectorOptions = { ...SERVICE_LIKE, refreshMs: 0 };
    const before = replay(rolling, timestamps, values);
    const tampered = values.map((v, k) => (k > 700 ? -v : v));
    const after = replay(rolling, timestamps, tampered);
    expect(after.slice(0, 701)).toEqual(before.slice(0, 701));
  });
});

/** Crafted series start at index 0: without history every first point would be first-seen. */
const NO_FIRST_SEEN_SEED: DetectionRule = { ...SEED_RULE, firstSeen: null };

describe('RuleDetector on crafted series', () => {
  it('seed rule flags an hourly spike, not the daily cycle', () => {
    const { timestamps, values } = billingLike(40, 2);
    values[35 * 24 + 3] = 90; // a 03:00 spike far above the 20 ± 8 cycle
    const hits = anomalousIndices({ rule: NO_FIRST_SEEN_SEED, windowMs: 30 * MS.day, seasonal: null, refreshMs: MS.day }, timestamps, values);
    expect(hits).toContain(35 * 24 + 3);
    expect(hits.filter((h) => h !== 35 * 24 + 3)).toEqual([]);
  });

  it('robust z still sees a moderate spike after a huge one has inflated the std (the seed rule does not)', () => {
    const random = new SeededRandom(5);
    const timestamps = Array.from({ length: 24 * 20 }, (_, h) => START + h * MS.hour);
    const values = timestamps.map(() => 100 + random.normal(0, 1));
    values[24 * 10] = 5000; // one huge outlier in the history
    const moderate = 24 * 15;
    values[moderate] = 115; // 15 σ above normal, ratio 1.15
    const robust = anomalousIndices(
      { rule: { name: 'robust', expression: 'robustZ > 6', expected: 'median', firstSeen: null }, windowMs: 30 * MS.day, seasonal: null, refreshMs: 0 },
      timestamps,
      values,
    );
    const seed = anomalousIndices({ rule: NO_FIRST_SEEN_SEED, windowMs: 30 * MS.day, seasonal: null, refreshMs: 0 }, timestamps, values);
    expect(robust).toContain(moderate);
    expect(seed).not.toContain(moderate);
  });

  it('seasonal z flags a night-time value that would be normal at the daily peak', () => {
    const { timestamps, values } = billingLike(40, 3);
    const night = 36 * 24 + 18; // sin peaks at 06:00, troughs at 18:00 (≈ 12)
    values[night] = 28; // the peak level (≈ 28), at the trough hour
    const seasonal = anomalousIndices(
      {
        rule: { name: 'seasonal', expression: 'abs(seasonalZ) > 6', expected: 'seasonal', minHistory: 7 * 24, firstSeen: null },
        windowMs: 30 * MS.day,
        seasonal: { periodMs: MS.day, slotMs: MS.hour, originMs: 0 },
        refreshMs: MS.day,
      },
      timestamps,
      values,
    );
    expect(seasonal).toEqual([night]);
    const seed = anomalousIndices({ rule: NO_FIRST_SEEN_SEED, windowMs: 30 * MS.day, seasonal: null, refreshMs: MS.day }, timestamps, values);
    expect(seed).not.toContain(night);
  });

  it('EWMA z follows a level shift and stops alerting once it has adapted', () => {
    const random = new SeededRandom(9);
    const timestamps = Array.from({ length: 600 }, (_, h) => START + h * MS.hour);
    const values = timestamps.map((_, h) => (h < 300 ? 50 : 80) + random.normal(0, 1));
    const hits = anomalousIndices(
      { rule: { name: 'ewma', expression: 'abs(ewmaZ) > 6', minHistory: 24, firstSeen: null }, windowMs: 30 * MS.day, seasonal: null, refreshMs: 0, ewmaHalfLifeSamples: 6 },
      timestamps,
      values,
    );
    expect(hits[0]).toBe(300);
    expect(Math.max(...hits)).toBeLessThan(400);
  });

  it('extremeZ flags a new record beyond the recent range, not values inside it', () => {
    const random = new SeededRandom(4);
    const timestamps = Array.from({ length: 24 * 14 }, (_, h) => START + h * MS.hour);
    const values = timestamps.map(() => 10 + random.uniform(-1, 1));
    values[24 * 10] = 14; // far beyond max ≈ 11 of the previous week
    const hits = anomalousIndices(
      { rule: { name: 'extreme', expression: 'abs(extremeZ) > 1', expected: 'median', minHistory: 24, firstSeen: null }, windowMs: 7 * MS.day, seasonal: null, refreshMs: 0 },
      timestamps,
      values,
    );
    expect(hits).toEqual([24 * 10]);
  });

  it('drift re-baselining ends the alerts of a level shift sooner', () => {
    const random = new SeededRandom(12);
    const timestamps = Array.from({ length: 24 * 30 }, (_, h) => START + h * MS.hour);
    const values = timestamps.map((_, h) => (h < 24 * 10 ? 10 : 30) + random.normal(0, 1));
    const options: RuleDetectorOptions = {
      rule: { name: 'robust', expression: 'abs(robustZ) > 6', expected: 'median', minHistory: 12, firstSeen: null },
      windowMs: 30 * MS.day,
      seasonal: null,
      refreshMs: 0,
    };
    const without = anomalousIndices(options, timestamps, values);
    const withDrift = anomalousIndices({ ...options, drift: { delta: 0.002 } }, timestamps, values);
    expect(without[0]).toBe(24 * 10);
    expect(withDrift[0]).toBe(24 * 10);
    // Without re-baselining the shifted level is anomalous until it is half the window (~10 days).
    expect(without.length).toBeGreaterThan(24 * 5);
    expect(withDrift.length).toBeLessThan(48);
  });

  it('a first-seen series alerts once, then learns its new level from scratch (leading zeros skipped)', () => {
    const random = new SeededRandom(6);
    const timestamps = Array.from({ length: 24 * 40 }, (_, h) => START + h * MS.hour);
    const onset = 24 * 20 + 9;
    const values = timestamps.map((_, h) => (h < onset ? 0 : 30 + random.normal(0, 2)));
    const hits = anomalousIndices(
      {
        rule: { name: 'billing', expression: 'abs(robustZ) > 8', expected: 'median', minHistory: 24, firstSeen: { minObserved: 0 } },
        windowMs: 30 * MS.day,
        seasonal: null,
        refreshMs: MS.day,
        skipLeadingZeros: true,
      },
      timestamps,
      values,
    );
    // Every hour of the onset day is judged against an empty baseline (as of midnight): first-seen.
    expect(hits[0]).toBe(onset);
    expect(hits.every((h) => h < 24 * 21)).toBe(true);
  });

  it('half-space trees are deterministic for a seed and score a spike above the inliers', () => {
    const random = new SeededRandom(8);
    const timestamps = Array.from({ length: 2_000 }, (_, h) => START + h * MS.hour);
    const values = timestamps.map(() => 50 + random.normal(0, 2));
    values[1_500] = 120;
    const options: RuleDetectorOptions = {
      rule: { name: 'hst', expression: 'hst > 0.9', expected: 'median', firstSeen: null },
      windowMs: 30 * MS.day,
      seasonal: null,
      refreshMs: 0,
      halfSpaceTrees: { trees: 25, depth: 10, windowSize: 250, shingle: 1, seed: 42 },
    };
    const first = anomalousIndices(options, timestamps, values);
    expect(anomalousIndices(options, timestamps, values)).toEqual(first);
    expect(first).toContain(1_500);
    expect(first.length).toBeLessThan(20);
  });

  it('refuses a rule that needs a scorer it was not configured with', () => {
    expect(() => new RuleDetector({ rule: { name: 'h', expression: 'hst > 0.9' }, windowMs: MS.day, seasonal: null, refreshMs: 0 })).toThrow(
      /uses hst but no halfSpaceTrees options/,
    );
  });

  it('treats non-finite values as missing', () => {
    const detector = new RuleDetector({ rule: NO_FIRST_SEEN_SEED, windowMs: MS.day, seasonal: null, refreshMs: 0 });
    expect(detector.update(START, Number.NaN)).toBe(false);
    expect(detector.explainLast()).toBeNull();
  });
});
