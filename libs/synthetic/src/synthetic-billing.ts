import { MS, billingRecordId, fromScaled, type BillingRecord } from '@costwatch/contracts';
import {
  ANOMALY_KINDS,
  generateSyntheticBilling,
  type ChargeLine,
  type InjectedAnomalyKind,
  type SyntheticBillingDataset,
  type SyntheticSeries as GeneratedSeries,
} from '@costwatch/detection';

export const anomalyKinds = ANOMALY_KINDS;
export type AnomalyKind = InjectedAnomalyKind;

export interface SyntheticOptions {
  seed: number;
  /** First day, YYYY-MM-DD (UTC). */
  start: string;
  days: number;
  domains: number;
  projectsPerDomain: number;
  servicesPerProject: number;
  /** Injected anomalies, one of each kind in turn; none start in the first `warmupDays`. */
  anomalies: number;
  warmupDays: number;
  /** Share of series-days first reported low and re-sent a day later with the corrected amounts. */
  restatementRate: number;
  /** Share of series-days with a few hours whose records arrive late. */
  lateDataRate: number;
  /** Share of series that only appear part-way through (new services, not anomalies). */
  lateStartRate: number;
  currency: string;
}

export const defaultSyntheticOptions: SyntheticOptions = {
  seed: 42,
  start: '2026-09-01',
  days: 30,
  domains: 4,
  projectsPerDomain: 5,
  servicesPerProject: 6,
  anomalies: 12,
  warmupDays: 14,
  restatementRate: 0.02,
  lateDataRate: 0.01,
  lateStartRate: 0.05,
  currency: 'USD',
};

/** One cost line of the history, as the pipeline keys it (domain | project | service). */
export interface SyntheticSeries {
  domainId: string;
  projectId: string;
  serviceId: string;
  serviceName: string;
  /** Usage, or a purchase, credit or tax line. */
  line: ChargeLine;
  /** Hour index (from the start) of the first cost. */
  firstHour: number;
}

/** A labelled anomaly window [start, end) on one series. */
export interface AnomalyLabel {
  kind: AnomalyKind;
  domainId: string;
  projectId: string;
  serviceId: string;
  start: string;
  end: string;
}

export interface SyntheticHour {
  hourStart: Date;
  /** Records arriving this hour: its own usage, then late records and restatements of earlier hours. */
  records: BillingRecord[];
}

const CATEGORY: Readonly<Record<ChargeLine, BillingRecord['chargeCategory'] | undefined>> = {
  usage: undefined,
  purchase: 'Purchase',
  credit: 'Credit',
  tax: 'Tax',
};

/**
 * A seeded, reproducible billing history as billing records: the one synthetic generator of
 * `@costwatch/detection` (realistic series shapes, calendar charges, labelled anomalies)
 * rendered the way a source delivers it — each hour's records collected two hours after it
 * starts, some hours arriving late, some days restated a day later with corrected amounts.
 */
export class SyntheticBilling {
  readonly options: SyntheticOptions;
  readonly dataset: SyntheticBillingDataset;
  readonly series: SyntheticSeries[];
  readonly labels: AnomalyLabel[];
  private readonly startMs: number;

  constructor(options: Partial<SyntheticOptions> = {}) {
    this.options = { ...defaultSyntheticOptions, ...options };
    this.startMs = Date.parse(`${this.options.start}T00:00:00Z`);
    if (Number.isNaN(this.startMs)) throw new Error(`start must be YYYY-MM-DD, got ${this.options.start}`);
    const o = this.options;
    this.dataset = generateSyntheticBilling({
      seed: o.seed,
      startMs: this.startMs,
      days: o.days,
      domains: o.domains,
      projectsPerDomain: o.projectsPerDomain,
      servicesPerProject: o.servicesPerProject,
      anomalies: o.anomalies,
      firstAnomalyDay: o.warmupDays,
      restatementRate: o.restatementRate,
      lateDataRate: o.lateDataRate,
      lateStartRate: o.lateStartRate,
    });
    this.series = this.dataset.series.map((s) => ({ domainId: s.domain, projectId: s.project, serviceId: s.service, serviceName: s.serviceName, line: s.line, firstHour: s.firstHour }));
    this.labels = this.dataset.series.flatMap((s) =>
      s.anomalies.map((a) => ({
        kind: a.kind,
        domainId: s.domain,
        projectId: s.project,
        serviceId: s.service,
        start: new Date(a.startMs).toISOString(),
        end: new Date(a.endMs + MS.hour).toISOString(),
      })),
    );
  }

  get totalHours(): number {
    return this.options.days * 24;
  }

  /**
   * The history hour by hour, deterministic for a seed. A usage series sends a record every
   * hour from its first (zero hours included); a purchase, credit or tax line only when it
   * charges something.
   */
  *hours(): Generator<SyntheticHour> {
    const due = new Map<number, BillingRecord[]>();
    const later = (hour: number, record: BillingRecord) => due.set(hour, [...(due.get(hour) ?? []), record]);
    for (let hour = 0; hour < this.totalHours; hour += 1) {
      const hourStart = new Date(this.startMs + hour * MS.hour);
      const records: BillingRecord[] = [];
      for (const series of this.dataset.series) {
        const final = series.values[hour] as number;
        if (hour < series.firstHour || (series.line !== 'usage' && final === 0)) continue;
        const first = series.firstReported[hour] as number;
        const delay = series.lateHours.get(hour);
        if (delay !== undefined) {
          later(hour + delay, this.record(series, hour, final, hour + delay));
        } else {
          records.push(this.record(series, hour, first, hour));
          if (first !== final) later(hour + 24, this.record(series, hour, final, hour + 24));
        }
      }
      records.push(...(due.get(hour) ?? []));
      due.delete(hour);
      yield { hourStart, records };
    }
  }

  /** The record of `series` for `hour`, collected two hours after the start of `arrivalHour`. */
  private record(series: GeneratedSeries, hour: number, amount: number, arrivalHour: number): BillingRecord {
    const identity = {
      source: 'synthetic' as const,
      domainId: series.domain,
      projectId: series.project,
      serviceId: series.service,
      periodStart: new Date(this.startMs + hour * MS.hour).toISOString(),
      granularity: 'HOURLY' as const,
      currency: this.options.currency,
    };
    const chargeCategory = CATEGORY[series.line];
    return {
      ...identity,
      id: billingRecordId(identity),
      serviceName: series.serviceName,
      periodEnd: new Date(this.startMs + (hour + 1) * MS.hour).toISOString(),
      amount: toAmount(amount),
      collectedAt: new Date(this.startMs + (arrivalHour + 2) * MS.hour).toISOString(),
      ...(chargeCategory ? { chargeCategory } : {}),
    };
  }
}

/** A float cost rounded to 9 decimals, written exactly as a decimal string (credits negative). */
function toAmount(value: number): string {
  return fromScaled(BigInt(Math.round(value * 1e9)) * 1000n);
}
