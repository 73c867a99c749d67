import { fromScaled, type BillingRecord } from '@costwatch/contracts';
import { billingRecordId } from '@costwatch/contracts';
import { SERVICE_CATALOG } from './catalog';
import { Random } from './random';

export const anomalyKinds = ['spike', 'level-shift', 'ramp', 'drop-to-zero', 'new-expensive-service'] as const;
export type AnomalyKind = (typeof anomalyKinds)[number];

export interface SyntheticOptions {
  seed: number;
  /** First day, YYYY-MM-DD (UTC). */
  start: string;
  days: number;
  domains: number;
  projectsPerDomain: number;
  servicesPerProject: number;
  /** Injected anomalies; none start in the first `warmupDays`. */
  anomalies: number;
  warmupDays: number;
  /** Share of series-days re-sent a day later with corrected amounts. */
  restatementRate: number;
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
  lateStartRate: 0.05,
  currency: 'USD',
};

export interface SyntheticSeries {
  domainId: string;
  projectId: string;
  serviceId: string;
  serviceName: string;
  /** Hour index (from the start) of the first cost. */
  firstHour: number;
  base: number;
  growthPerDay: number;
  businessHours: number;
  weekendFactor: number;
  noise: number;
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
  /** Usage records of this hour, then restatements of earlier hours that arrive now. */
  records: BillingRecord[];
}

interface Injection {
  seriesIndex: number;
  kind: AnomalyKind;
  startHour: number;
  endHour: number;
  factor: number;
}

const HOUR_MS = 3_600_000;

/**
 * A seeded, reproducible billing history: many domains / projects / services with daily
 * and weekly seasonality, growth, month-start purchases, services appearing part-way,
 * late restatements, and injected anomalies of several shapes with ground-truth labels.
 */
export class SyntheticBilling {
  readonly options: SyntheticOptions;
  readonly series: SyntheticSeries[] = [];
  readonly labels: AnomalyLabel[] = [];
  private readonly injections: Injection[] = [];
  private readonly startMs: number;

  constructor(options: Partial<SyntheticOptions> = {}) {
    this.options = { ...defaultSyntheticOptions, ...options };
    this.startMs = Date.parse(`${this.options.start}T00:00:00Z`);
    if (Number.isNaN(this.startMs)) throw new Error(`start must be YYYY-MM-DD, got ${this.options.start}`);
    const random = new Random(this.options.seed);
    this.buildSeries(random);
    this.injectAnomalies(random);
  }

  get totalHours(): number {
    return this.options.days * 24;
  }

  private buildSeries(random: Random): void {
    const o = this.options;
    for (let d = 0; d < o.domains; d += 1) {
      for (let p = 0; p < o.projectsPerDomain; p += 1) {
        const services = [...SERVICE_CATALOG].sort(() => random.next() - 0.5).slice(0, o.servicesPerProject);
        for (const service of services) {
          const lateStart = random.next() < o.lateStartRate;
          this.series.push({
            domainId: `domain-${String(d + 1).padStart(2, '0')}`,
            projectId: `project-${String(d + 1).padStart(2, '0')}-${String(p + 1).padStart(2, '0')}`,
            serviceId: service.id,
            serviceName: service.name,
            firstHour: lateStart ? random.int(o.warmupDays * 24, Math.max(o.warmupDays * 24, this.totalHours - 48)) : 0,
            base: service.scale * random.between(0.3, 2.5),
            growthPerDay: random.between(-0.002, 0.01),
            businessHours: service.businessHours * random.between(0.6, 1.4),
            weekendFactor: random.between(0.6, 1),
            noise: random.between(0.03, 0.1),
          });
        }
      }
    }
  }

  private injectAnomalies(random: Random): void {
    const o = this.options;
    const earliest = o.warmupDays * 24;
    const latest = this.totalHours - 24;
    if (latest <= earliest) return;
    const used = new Set<number>();
    for (let i = 0; i < o.anomalies; i += 1) {
      const kind = anomalyKinds[i % anomalyKinds.length] ?? 'spike';
      const startHour = random.int(earliest, latest);
      if (kind === 'new-expensive-service') {
        const host = this.series[random.int(0, this.series.length - 1)];
        if (!host) continue;
        this.series.push({
          ...host,
          serviceId: `gpu-burst-${i + 1}`,
          serviceName: 'GPU Instance (burst)',
          firstHour: startHour,
          base: 150 * random.between(1, 3),
          growthPerDay: 0,
          businessHours: 0,
          noise: 0.05,
        });
        this.addInjection({ seriesIndex: this.series.length - 1, kind, startHour, endHour: startHour + 24, factor: 1 });
        continue;
      }
      let seriesIndex = random.int(0, this.series.length - 1);
      for (let tries = 0; (used.has(seriesIndex) || (this.series[seriesIndex]?.firstHour ?? 0) > 0) && tries < 50; tries += 1) {
        seriesIndex = random.int(0, this.series.length - 1);
      }
      used.add(seriesIndex);
      switch (kind) {
        case 'spike':
          this.addInjection({ seriesIndex, kind, startHour, endHour: startHour + random.int(1, 4), factor: random.between(4, 10) });
          break;
        case 'level-shift':
          this.addInjection({ seriesIndex, kind, startHour, endHour: Math.min(this.totalHours, startHour + random.int(24, 72)), factor: random.between(2.5, 4) });
          break;
        case 'ramp':
          this.addInjection({ seriesIndex, kind, startHour, endHour: Math.min(this.totalHours, startHour + 48), factor: random.between(3, 5) });
          break;
        case 'drop-to-zero':
          this.addInjection({ seriesIndex, kind, startHour, endHour: startHour + random.int(6, 18), factor: 0 });
          break;
      }
    }
  }

  private addInjection(injection: Injection): void {
    const series = this.series[injection.seriesIndex];
    if (!series) return;
    this.injections.push(injection);
    this.labels.push({
      kind: injection.kind,
      domainId: series.domainId,
      projectId: series.projectId,
      serviceId: series.serviceId,
      start: new Date(this.startMs + injection.startHour * HOUR_MS).toISOString(),
      end: new Date(this.startMs + injection.endHour * HOUR_MS).toISOString(),
    });
  }

  /** The hourly cost of a series before rounding (0 before it starts). */
  private value(seriesIndex: number, hour: number, random: Random): number {
    const s = this.series[seriesIndex];
    if (!s || hour < s.firstHour) return 0;
    const at = new Date(this.startMs + hour * HOUR_MS);
    const hourOfDay = at.getUTCHours();
    const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
    const daily = 1 + s.businessHours * Math.sin((Math.PI * Math.max(0, hourOfDay - 6)) / 14) * (hourOfDay >= 6 && hourOfDay <= 20 ? 1 : 0);
    const trend = 1 + s.growthPerDay * (hour / 24);
    let value = s.base * daily * trend * (weekend ? s.weekendFactor : 1) * Math.max(0.2, 1 + s.noise * random.gaussian());
    for (const injection of this.injections) {
      if (injection.seriesIndex !== seriesIndex || hour < injection.startHour || hour >= injection.endHour) continue;
      if (injection.kind === 'ramp') {
        value *= 1 + ((injection.factor - 1) * (hour - injection.startHour + 1)) / (injection.endHour - injection.startHour);
      } else {
        value *= injection.factor;
      }
    }
    return value;
  }

  private record(seriesIndex: number, hour: number, amount: string, collectedAt: Date, chargeCategory?: BillingRecord['chargeCategory'], serviceOverride?: { id: string; name: string }): BillingRecord {
    const s = this.series[seriesIndex];
    if (!s) throw new Error(`no series ${seriesIndex}`);
    const periodStart = new Date(this.startMs + hour * HOUR_MS).toISOString();
    const identity = {
      source: 'synthetic' as const,
      domainId: s.domainId,
      projectId: s.projectId,
      serviceId: serviceOverride?.id ?? s.serviceId,
      periodStart,
      granularity: 'HOURLY' as const,
      currency: this.options.currency,
    };
    return {
      ...identity,
      id: billingRecordId(identity),
      serviceName: serviceOverride?.name ?? s.serviceName,
      periodEnd: new Date(this.startMs + (hour + 1) * HOUR_MS).toISOString(),
      amount,
      collectedAt: collectedAt.toISOString(),
      ...(chargeCategory ? { chargeCategory } : {}),
    };
  }

  /**
   * The history hour by hour, deterministic for a seed. Each hour holds that hour's
   * records (collected 1 h after it ends) plus restatements of the previous day's hours.
   */
  *hours(): Generator<SyntheticHour> {
    const random = new Random(this.options.seed ^ 0x5eed);
    const restatements = new Map<number, BillingRecord[]>();
    for (let hour = 0; hour < this.totalHours; hour += 1) {
      const hourStart = new Date(this.startMs + hour * HOUR_MS);
      const collectedAt = new Date(hourStart.getTime() + 2 * HOUR_MS);
      const records: BillingRecord[] = [];
      for (let i = 0; i < this.series.length; i += 1) {
        const s = this.series[i];
        if (!s || hour < s.firstHour) continue;
        records.push(this.record(i, hour, toAmount(this.value(i, hour, random)), collectedAt));
        // Month-start purchase (reserved capacity), billed in the first hour of the month.
        if (hourStart.getUTCDate() === 1 && hourStart.getUTCHours() === 0 && i % 7 === 0) {
          records.push(this.record(i, hour, toAmount(s.base * 24 * 10), collectedAt, 'Purchase', { id: `${s.serviceId}-reserved`, name: `${s.serviceName} (reserved)` }));
        }
        if (random.next() < this.options.restatementRate / 24) {
          const restated = this.record(i, hour, toAmount(this.value(i, hour, random) * random.between(0.9, 1.1)), new Date(collectedAt.getTime() + 24 * HOUR_MS));
          const due = hour + 24;
          restatements.set(due, [...(restatements.get(due) ?? []), restated]);
        }
      }
      records.push(...(restatements.get(hour) ?? []));
      restatements.delete(hour);
      yield { hourStart, records };
    }
  }
}

/** A float cost rounded to 9 decimals, written exactly as a decimal string. */
function toAmount(value: number): string {
  return fromScaled(BigInt(Math.round(Math.max(0, value) * 1e9)) * 1000n);
}
