import { anomalyStates, severities, sumAmounts, toScaled, type Anomaly } from '@costwatch/contracts';
import { scaledChange, type AmountChange } from './amount-change';
import type { DayCost, ReportScope, StoredAnomaly } from './report-data.repository';
import type { ReportPeriod } from './report-period';

/** One row of a breakdown: a domain, a project or a service, in one currency, against the previous period. */
export interface CostLine {
  domainId: string;
  projectId?: string;
  serviceId?: string;
  serviceName?: string;
  currency: string;
  change: AmountChange;
}

export interface DayTotal {
  date: string;
  /** False while the aggregator may still change the day: seen but not closed, or not over yet. */
  closed: boolean;
  /** Currency → exact total; currencies without cost that day are absent. */
  amounts: Record<string, string>;
}

export interface CostReport {
  period: ReportPeriod;
  previous: ReportPeriod;
  scope: ReportScope;
  generatedAt: string;
  /** Total per currency, largest first. */
  totals: Array<{ currency: string; change: AmountChange }>;
  days: DayTotal[];
  byDomain: CostLine[];
  byProject: CostLine[];
  byService: CostLine[];
  /** The services whose cost changed most (absolute), largest first. */
  topMovers: CostLine[];
  anomalies: StoredAnomaly[];
  severityCounts: Record<Anomaly['severity'], number>;
  stateCounts: Record<Anomaly['state'], number>;
  /** The period's day rows (date, domain, project, service, currency), sorted: what the CSV holds. */
  rows: DayCost[];
}

export interface CostReportInput {
  period: ReportPeriod;
  previous: ReportPeriod;
  scope: ReportScope;
  current: readonly DayCost[];
  before: readonly DayCost[];
  anomalies: readonly StoredAnomaly[];
  /** The aggregator's ledger: day → closed (days without data are absent). */
  dayLedger: ReadonlyMap<string, boolean>;
  generatedAt: Date;
}

export const TOP_MOVERS = 10;

type Accumulator = Map<string, { line: Omit<CostLine, 'change'>; current: bigint; previous: bigint }>;

function accumulate(into: Accumulator, key: string, line: Omit<CostLine, 'change'>, amount: bigint, which: 'current' | 'previous'): void {
  const entry = into.get(key) ?? { line, current: 0n, previous: 0n };
  entry[which] += amount;
  into.set(key, entry);
}

const byCostDescending = (a: { currency: string; current: bigint; key: string }, b: { currency: string; current: bigint; key: string }): number =>
  a.currency.localeCompare(b.currency) || (b.current > a.current ? 1 : b.current < a.current ? -1 : 0) || a.key.localeCompare(b.key);

function lines(from: Accumulator): Array<CostLine & { scaledDelta: bigint }> {
  return [...from]
    .map(([key, e]) => ({ key, currency: e.line.currency, current: e.current, entry: e }))
    .sort(byCostDescending)
    .map(({ entry }) => ({ ...entry.line, change: scaledChange(entry.current, entry.previous), scaledDelta: entry.current - entry.previous }));
}

const strip = ({ scaledDelta: _delta, ...line }: CostLine & { scaledDelta: bigint }): CostLine => line;
const magnitude = (value: bigint): bigint => (value < 0n ? -value : value);

const compareRows = (a: DayCost, b: DayCost): number =>
  a.date.localeCompare(b.date) || a.domainId.localeCompare(b.domainId) || a.projectId.localeCompare(b.projectId) || a.serviceId.localeCompare(b.serviceId) || a.currency.localeCompare(b.currency);

/** The whole report as data: every sum exact (bigint on scaled decimals), nothing rendered yet. */
export function buildCostReport(input: CostReportInput): CostReport {
  const totals: Accumulator = new Map();
  const domains: Accumulator = new Map();
  const projects: Accumulator = new Map();
  const services: Accumulator = new Map();
  const days = new Map<string, Map<string, string[]>>(input.period.days.map((d) => [d, new Map()]));

  for (const [rows, which] of [
    [input.current, 'current'],
    [input.before, 'previous'],
  ] as const) {
    for (const row of rows) {
      const amount = toScaled(row.amount);
      const { domainId, projectId, serviceId, serviceName, currency } = row;
      accumulate(totals, currency, { domainId: '', currency }, amount, which);
      accumulate(domains, `${domainId}|${currency}`, { domainId, currency }, amount, which);
      accumulate(projects, `${domainId}|${projectId}|${currency}`, { domainId, projectId, currency }, amount, which);
      accumulate(services, `${domainId}|${projectId}|${serviceId}|${currency}`, { domainId, projectId, serviceId, serviceName, currency }, amount, which);
      if (which === 'current') {
        const day = days.get(row.date);
        day?.set(currency, [...(day.get(currency) ?? []), row.amount]);
      }
    }
  }

  const today = input.generatedAt.toISOString().slice(0, 10);
  const serviceLines = lines(services);
  const topMovers = serviceLines
    .filter((l) => l.scaledDelta !== 0n)
    .sort((a, b) => {
      const [x, y] = [magnitude(a.scaledDelta), magnitude(b.scaledDelta)];
      return y > x ? 1 : y < x ? -1 : 0;
    })
    .slice(0, TOP_MOVERS);

  const severityCounts = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Anomaly['severity'], number>;
  const stateCounts = Object.fromEntries(anomalyStates.map((s) => [s, 0])) as Record<Anomaly['state'], number>;
  for (const anomaly of input.anomalies) {
    severityCounts[anomaly.severity] += 1;
    stateCounts[anomaly.state] += 1;
  }

  return {
    period: input.period,
    previous: input.previous,
    scope: input.scope,
    generatedAt: input.generatedAt.toISOString(),
    totals: [...totals.values()]
      .sort((a, b) => (b.current > a.current ? 1 : b.current < a.current ? -1 : a.line.currency.localeCompare(b.line.currency)))
      .map((t) => ({ currency: t.line.currency, change: scaledChange(t.current, t.previous) })),
    days: [...days].map(([date, amounts]) => ({
      date,
      closed: input.dayLedger.get(date) ?? date < today,
      amounts: Object.fromEntries([...amounts].sort(([a], [b]) => a.localeCompare(b)).map(([currency, list]) => [currency, sumAmounts(list)])),
    })),
    byDomain: lines(domains).map(strip),
    byProject: lines(projects).map(strip),
    byService: serviceLines.map(strip),
    topMovers: topMovers.map(strip),
    anomalies: [...input.anomalies],
    severityCounts,
    stateCounts,
    rows: [...input.current].sort(compareRows),
  };
}
