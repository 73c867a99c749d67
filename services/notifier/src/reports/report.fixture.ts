import { buildCostReport, type CostReport } from './cost-report';
import type { DayCost, StoredAnomaly } from './report-data.repository';
import { periodContaining, previousPeriod, type ReportPeriodKind } from './report-period';

/** Test data for the report's pure parts. */
export function dayCost(fields: Partial<DayCost> & Pick<DayCost, 'date' | 'amount'>): DayCost {
  return { domainId: 'd1', projectId: 'p1', serviceId: 'vm', serviceName: 'Virtual Machine', currency: 'USD', hours: [], ...fields };
}

export function storedAnomaly(fields: Partial<StoredAnomaly> & { start: string; end: string }): StoredAnomaly {
  const { start, end, ...rest } = fields;
  return {
    _id: `a-${start}`,
    state: 'firing',
    series: { domainId: 'd1', projectId: 'p1', serviceId: 'vm', serviceName: 'Virtual Machine', currency: 'USD' },
    window: { start, end },
    observed: '90.5',
    expected: '10',
    z: 8.25,
    ratio: 9.05,
    granularity: 'hourly',
    kind: 'cost',
    rule: 'seed: z > 3 OR ratio > 2',
    severity: 'critical',
    baselineWindow: { from: '2026-08-15', to: '2026-09-14', count: 720 },
    contributors: [],
    ...rest,
  };
}

export function reportOf(kind: ReportPeriodKind, day: string, rows: readonly DayCost[], anomalies: readonly StoredAnomaly[] = []): CostReport {
  const period = periodContaining(kind, day);
  const previous = previousPeriod(period);
  return buildCostReport({
    period,
    previous,
    scope: {},
    current: rows.filter((r) => r.date >= period.start && r.date < period.end),
    before: rows.filter((r) => r.date >= previous.start && r.date < previous.end),
    anomalies,
    dayLedger: new Map(period.days.map((d) => [d, true])),
    generatedAt: new Date('2026-10-01T00:00:00Z'),
  });
}
