// Test data shared by the unit and integration specs (kept under src/ so specs import it with one "../").
import type { Anomaly } from '@costwatch/contracts';

type AnomalyPatch = Partial<Omit<Anomaly, 'series'>> & { series?: Partial<Anomaly['series']> };

/** A valid anomaly payload; tests override what they are about. */
export function anomalyFixture(patch: AnomalyPatch = {}): Anomaly {
  const { series, ...rest } = patch;
  return {
    anomalyId: 'anom-1',
    state: 'firing',
    series: { domainId: 'dom-1', projectId: 'proj-1', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'USD', ...series },
    window: { start: '2026-11-01T03:00:00Z', end: '2026-11-01T04:00:00Z' },
    observed: '120.5',
    expected: '40',
    z: 7.25,
    ratio: 3.0125,
    rule: 'zscore',
    severity: 'warning',
    baselineWindow: { from: '2026-10-02', to: '2026-10-31', count: 30 },
    granularity: 'hourly',
    kind: 'cost',
    contributors: [],
    ...rest,
  };
}
