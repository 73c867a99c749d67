import { MS } from '../time/duration';
import { PARAMETER_RANGES, partOf, positionInPart, valueAt } from './parameter-ranges';
import { generateSyntheticBilling } from './synthetic-billing.generator';
import { ANOMALY_KINDS, type SyntheticSeries } from './synthetic-billing.types';

const zeroShare = (s: SyntheticSeries): number => s.values.filter((v) => v === 0).length / s.values.length;
const hourOf = (s: SyntheticSeries, ms: number): number => (ms - (s.timestamps[0] as number)) / MS.hour;

describe('synthetic billing generator', () => {
  const dataset = generateSyntheticBilling({ seed: 42, projectsPerDomain: 10 });
  const usage = dataset.series.filter((s) => s.line === 'usage');

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateSyntheticBilling({ seed: 42, projectsPerDomain: 10 });
    expect(again.series.map((s) => Array.from(s.firstReported))).toEqual(dataset.series.map((s) => Array.from(s.firstReported)));
    const other = generateSyntheticBilling({ seed: 43, projectsPerDomain: 10 });
    expect(Array.from(other.series[0]?.values ?? [])).not.toEqual(Array.from(dataset.series[0]?.values ?? []));
  });

  it('gives every series its own name and shape: hourly, usage never negative, credits never positive', () => {
    expect(new Set(dataset.series.map((s) => s.name)).size).toBe(dataset.series.length);
    expect(new Set(usage.map((s) => s.values[100])).size).toBeGreaterThan(usage.length * 0.6);
    for (const series of dataset.series) {
      expect(series.values).toHaveLength(120 * 24);
      expect(series.timestamps[1]! - series.timestamps[0]!).toBe(MS.hour);
      if (series.line === 'credit') expect(Math.max(...series.values)).toBeLessThanOrEqual(0);
      else expect(Math.min(...series.values)).toBeGreaterThanOrEqual(0);
    }
  });

  it('draws every archetype, and intermittent series are off 20–70% of the time (± the chain’s sampling)', () => {
    expect(new Set(usage.map((s) => s.archetype))).toEqual(new Set(['always-on', 'intermittent', 'nightly-batch', 'weekday-batch', 'spot', 'heavy-tailed']));
    expect(new Set(usage.map((s) => s.seasonality))).toEqual(new Set(['strong', 'weak', 'none']));
    const intermittent = usage.filter((s) => s.archetype === 'intermittent' && s.anomalies.length === 0 && s.firstHour === 0);
    expect(intermittent.length).toBeGreaterThan(3);
    for (const s of intermittent) {
      expect(zeroShare(s)).toBeGreaterThan(0.1);
      expect(zeroShare(s)).toBeLessThan(0.8);
    }
  });

  it('runs weekday batch jobs on business days only', () => {
    const weekday = usage.filter((s) => s.archetype === 'weekday-batch' && s.anomalies.length === 0);
    expect(weekday.length).toBeGreaterThan(0);
    for (const s of weekday) {
      s.values.forEach((v, h) => {
        const day = new Date(s.timestamps[h]!).getUTCDay();
        if (day === 0 || day === 6) expect(v).toBe(0);
      });
    }
  });

  it('injects every kind of labelled anomaly after the warm-up, each shaped as its kind says', () => {
    const anomalies = dataset.series.flatMap((s) => s.anomalies.map((a) => ({ s, a })));
    expect(new Set(anomalies.map(({ a }) => a.kind))).toEqual(new Set(ANOMALY_KINDS));
    for (const { s, a } of anomalies) {
      expect(a.startMs).toBeGreaterThanOrEqual(dataset.startMs + 21 * MS.day);
      expect(a.windowStartMs).toBe(a.startMs);
      expect(a.windowEndMs).toBeGreaterThanOrEqual(a.endMs);
      const first = hourOf(s, a.startMs);
      switch (a.kind) {
        case 'drop-to-zero':
          expect(s.archetype).toBe('always-on');
          expect(s.values[first]).toBe(0);
          break;
        case 'level-shift':
        case 'small-hourly-large-daily':
          expect(s.values[first]).toBeCloseTo(s.normalValues[first]! * a.magnitude, 2);
          break;
        case 'spike':
          expect(s.values[first]).toBeGreaterThan(s.normalValues[first]!);
          break;
        case 'stuck-on':
          expect(s.normalValues[first]).toBe(0);
          expect(s.values[first]).toBeGreaterThan(0);
          break;
        case 'new-expensive-service':
          expect(s.values[first - 1]).toBe(0);
          expect(a.magnitude).toBeGreaterThanOrEqual(15);
          break;
        case 'ramp':
          expect(s.values[hourOf(s, a.endMs)]).toBeCloseTo(s.normalValues[hourOf(s, a.endMs)]! * a.magnitude, 2);
          break;
      }
    }
  });

  it('charges purchases, credits and tax by the calendar (normal, unlabelled)', () => {
    const reserved = dataset.series.filter((s) => s.line === 'purchase' && s.service.endsWith('-reserved'));
    expect(reserved.length).toBeGreaterThan(0);
    const feb1 = (Date.UTC(2024, 1, 1) - dataset.startMs) / MS.hour;
    for (const s of reserved) {
      expect(s.values[feb1]).toBeGreaterThan(0);
      expect(s.values.filter((v) => v !== 0)).toHaveLength(4);
    }
    for (const s of dataset.series.filter((x) => x.line !== 'usage')) expect(s.anomalies).toEqual([]);
    expect(dataset.series.some((s) => s.line === 'tax')).toBe(true);
    expect(dataset.series.some((s) => s.line === 'credit')).toBe(true);
  });

  it('reports some hours late (missing when first judged) and some days low, restated later', () => {
    const late = dataset.series.filter((s) => s.lateHours.size > 0);
    expect(late.length).toBeGreaterThan(0);
    for (const s of late) for (const h of s.lateHours.keys()) expect(Number.isNaN(s.firstReported[h]!)).toBe(true);
    const restated = usage.filter((s) => s.firstReported.some((v, h) => Number.isFinite(v) && v < s.values[h]! - 1e-9));
    expect(restated.length).toBeGreaterThan(0);
  });

  it('emits no anomaly and no new service when asked for none', () => {
    const quiet = generateSyntheticBilling({ seed: 5, anomalies: 0 });
    expect(quiet.series.every((s) => s.anomalies.length === 0)).toBe(true);
    expect(quiet.series.some((s) => s.service.startsWith('ai-platform'))).toBe(false);
  });
});

describe('parameter ranges and their tuning / reporting parts', () => {
  it('maps a uniform draw into alternate quarters (hand-computed)', () => {
    expect(positionInPart(0.25, 'all')).toBe(0.25);
    expect(positionInPart(0, 'tune')).toBe(0);
    expect(positionInPart(0.25, 'tune')).toBe(0.125); // first half → Q1, halfway in
    expect(positionInPart(0.75, 'tune')).toBe(0.625); // second half → Q3, halfway in
    expect(positionInPart(0.25, 'report')).toBe(0.375); // Q2
    expect(positionInPart(0.75, 'report')).toBe(0.875); // Q4
  });

  it('reads values on linear and log scales', () => {
    expect(valueAt({ min: 2, max: 10, scale: 'linear' }, 0.25)).toBe(4);
    expect(valueAt({ min: 1, max: 100, scale: 'log' }, 0.5)).toBeCloseTo(10, 12);
  });

  it('never lets a tuning draw and a reporting draw share a quarter of any range', () => {
    for (const range of Object.values(PARAMETER_RANGES)) {
      for (let i = 0; i < 200; i++) {
        const u = (i + 0.5) / 200;
        expect(partOf(range, valueAt(range, positionInPart(u, 'tune')))).toBe('tune');
        expect(partOf(range, valueAt(range, positionInPart(u, 'report')))).toBe('report');
      }
    }
  });
});
