import { resolveDetector } from '../eval/detector-catalog';
import { evaluateDetector } from '../eval/evaluation';
import { MS } from '../time/duration';
import { generateSyntheticBilling } from './synthetic-billing.generator';
import { toLabelledSeries } from './synthetic-billing.labels';

describe('synthetic billing generator', () => {
  const dataset = generateSyntheticBilling({ seed: 42 });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateSyntheticBilling({ seed: 42 });
    expect(again.series.map((s) => Array.from(s.values))).toEqual(dataset.series.map((s) => Array.from(s.values)));
    const other = generateSyntheticBilling({ seed: 43 });
    expect(Array.from(other.series[0]?.values ?? [])).not.toEqual(Array.from(dataset.series[0]?.values ?? []));
  });

  it('produces hourly, non-negative costs for 6 projects × 6 services plus one new service each', () => {
    expect(dataset.series).toHaveLength(42);
    expect(new Set(dataset.series.map((s) => s.name)).size).toBe(42);
    for (const series of dataset.series) {
      expect(series.values).toHaveLength(120 * 24);
      expect(series.timestamps[1]! - series.timestamps[0]!).toBe(MS.hour);
      expect(Math.min(...series.values)).toBeGreaterThanOrEqual(0);
    }
  });

  it('injects every kind of labelled anomaly after the warm-up, windows inside the data', () => {
    const anomalies = dataset.series.flatMap((s) => s.anomalies);
    const kinds = new Set(anomalies.map((a) => a.kind));
    expect([...kinds].sort()).toEqual(['drop-to-zero', 'level-shift', 'new-service', 'ramp', 'spike']);
    const end = dataset.startMs + dataset.hours * MS.hour;
    for (const a of anomalies) {
      expect(a.startMs).toBeGreaterThanOrEqual(dataset.startMs + 21 * MS.day);
      expect(a.windowStartMs).toBe(a.startMs);
      expect(a.windowEndMs).toBeGreaterThanOrEqual(a.endMs);
      expect(a.windowEndMs).toBeLessThan(end);
    }
  });

  it('drops to zero where it says so and spikes by its magnitude', () => {
    for (const series of dataset.series) {
      for (const a of series.anomalies) {
        const first = (a.startMs - dataset.startMs) / MS.hour;
        if (a.kind === 'drop-to-zero') expect(series.values[first]).toBe(0);
        if (a.kind === 'spike') expect(series.values[first]).toBeCloseTo((series.normalValues[first] as number) * a.magnitude, 2);
      }
    }
  });

  it('charges month-start purchases on the first hour of each month (normal, unlabelled)', () => {
    const feb1 = (Date.UTC(2024, 1, 1) - dataset.startMs) / MS.hour;
    const purchasing = dataset.series.filter((s) => (s.normalValues[feb1] as number) > 10 * (s.normalValues[feb1 + 24] as number) + 1);
    expect(purchasing.length).toBeGreaterThan(3);
  });
});

describe('synthetic billing benchmark', () => {
  const corpus = toLabelledSeries(generateSyntheticBilling({ seed: 42 }));
  const seed = evaluateDetector(corpus, resolveDetector('seed'));
  const billing = evaluateDetector(corpus, resolveDetector('billing'));

  it('the billing detector beats the seed rule by ≥ 0.2 event-wise F1 with precision ≥ 0.9', () => {
    expect(billing.f1).toBeGreaterThanOrEqual(seed.f1 + 0.2);
    expect(billing.precision).toBeGreaterThanOrEqual(0.9);
  });
});
