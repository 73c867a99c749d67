import { SeededRandom } from '../random/seeded-random';
import { MS } from '../time/duration';
import type { InjectedAnomaly, InjectedAnomalyKind, SyntheticBillingDataset, SyntheticSeries } from './synthetic-billing.types';

export interface SyntheticBillingOptions {
  readonly seed?: number;
  readonly days?: number;
  /** First hour (UTC ms); default 2024-01-01T00:00Z, so month starts fall on day 1, 32, 61, 92. */
  readonly startMs?: number;
  readonly projects?: number;
  readonly servicesPerProject?: number;
  /** No anomaly starts before this day: baselines need history, and NAB's probation is 15%. */
  readonly firstAnomalyDay?: number;
}

const SERVICES = [
  'compute',
  'block-storage',
  'object-storage',
  'database',
  'kubernetes',
  'load-balancer',
  'cdn',
  'network-egress',
  'monitoring',
  'backup',
  'ai-inference',
  'data-warehouse',
] as const;

/** Services whose cost is a nightly batch: almost nothing, then a burst at 02:00–03:59 UTC. */
const BATCH_SERVICES = new Set<string>(['backup', 'data-warehouse']);

const ANOMALY_KINDS: ReadonlyArray<readonly [Exclude<InjectedAnomalyKind, 'new-service'>, number]> = [
  ['spike', 0.35],
  ['level-shift', 0.25],
  ['ramp', 0.2],
  ['drop-to-zero', 0.2],
];

interface SeriesShape {
  readonly base: number;
  readonly dailyAmplitude: number;
  readonly peakHour: number;
  readonly weekendFactor: number;
  readonly growthPerDay: number;
  /** Standard deviation of the log-noise, and its hour-to-hour autocorrelation (usage persists). */
  readonly noise: number;
  readonly noiseMemory: number;
  readonly batch: boolean;
  /** Month-start purchase as a multiple of the base hourly cost; 0 = none. */
  readonly monthlyPurchase: number;
}

/**
 * Seeded hourly billing series for a few projects × services, shaped like cloud bills: a
 * business-hours daily cycle, quieter weekends, compounding growth, multiplicative noise,
 * nightly batch services, reserved-capacity purchases on the first hour of each month (normal,
 * unlabelled), and injected labelled anomalies — spikes, level shifts, gradual ramps, drops to
 * zero and new expensive services. Same seed, same dataset, on every machine.
 */
export function generateSyntheticBilling(options: SyntheticBillingOptions = {}): SyntheticBillingDataset {
  const seed = options.seed ?? 42;
  const days = options.days ?? 120;
  const startMs = options.startMs ?? Date.UTC(2024, 0, 1);
  const projects = options.projects ?? 6;
  const servicesPerProject = Math.min(options.servicesPerProject ?? 6, SERVICES.length);
  const firstAnomalyDay = options.firstAnomalyDay ?? 21;
  const hours = days * 24;
  const random = new SeededRandom(seed);
  const timestamps = new Float64Array(hours);
  for (let h = 0; h < hours; h++) timestamps[h] = startMs + h * MS.hour;

  const series: SyntheticSeries[] = [];
  for (let p = 0; p < projects; p++) {
    const project = `project-${String.fromCharCode(97 + p)}`;
    const services = shuffled(SERVICES, random).slice(0, servicesPerProject);
    for (const service of services) {
      const shape = randomShape(random, BATCH_SERVICES.has(service));
      const normal = normalCost(shape, timestamps, random);
      const anomalies = placeAnomalies(random, days, firstAnomalyDay, startMs);
      series.push(withAnomalies(project, service, timestamps, normal, anomalies));
    }
    // One service per project appears mid-way and is expensive from its first hour.
    const onsetDay = random.integer(firstAnomalyDay + 5, days - 10);
    series.push(newService(project, timestamps, startMs + onsetDay * MS.day + random.integer(8, 16) * MS.hour, random));
  }
  return { seed, startMs, hours, series };
}

function randomShape(random: SeededRandom, batch: boolean): SeriesShape {
  return {
    base: Math.exp(random.uniform(Math.log(0.5), Math.log(80))),
    dailyAmplitude: random.uniform(0.1, 0.7),
    peakHour: random.uniform(10, 16),
    weekendFactor: random.uniform(0.45, 1),
    growthPerDay: random.uniform(-0.001, 0.005),
    noise: random.uniform(0.03, 0.12),
    noiseMemory: random.uniform(0.3, 0.8),
    batch,
    monthlyPurchase: random.chance(0.35) ? random.uniform(15, 40) : 0,
  };
}

function normalCost(shape: SeriesShape, timestamps: Float64Array, random: SeededRandom): Float64Array {
  const out = new Float64Array(timestamps.length);
  const start = timestamps[0] ?? 0;
  const purchaseDrift = new Map<number, number>();
  // AR(1) log-noise with stationary standard deviation `noise`.
  const innovation = shape.noise * Math.sqrt(1 - shape.noiseMemory * shape.noiseMemory);
  let logNoise = random.normal(0, shape.noise);
  for (let h = 0; h < timestamps.length; h++) {
    const t = timestamps[h] as number;
    const date = new Date(t);
    const hour = date.getUTCHours();
    const weekday = date.getUTCDay();
    const day = (t - start) / MS.day;
    let level = shape.base * Math.pow(1 + shape.growthPerDay, day);
    if (weekday === 0 || weekday === 6) level *= shape.weekendFactor;
    if (shape.batch) {
      level *= hour === 2 || hour === 3 ? 8 : 0.05;
    } else {
      level *= 1 + shape.dailyAmplitude * Math.cos((2 * Math.PI * (hour - shape.peakHour)) / 24);
    }
    logNoise = shape.noiseMemory * logNoise + random.normal(0, innovation);
    let cost = level * Math.exp(logNoise - (shape.noise * shape.noise) / 2);
    if (shape.monthlyPurchase > 0 && date.getUTCDate() === 1 && hour === 0) {
      // The same commitment every month, give or take currency and usage adjustments.
      const month = date.getUTCMonth();
      const drift = purchaseDrift.get(month) ?? random.uniform(0.97, 1.03);
      purchaseDrift.set(month, drift);
      cost += shape.base * shape.monthlyPurchase * drift;
    }
    out[h] = cost;
  }
  return out;
}

function placeAnomalies(random: SeededRandom, days: number, firstDay: number, startMs: number): InjectedAnomaly[] {
  const roll = random.next();
  const count = roll < 0.2 ? 0 : roll < 0.55 ? 1 : roll < 0.85 ? 2 : 3;
  const anomalies: InjectedAnomaly[] = [];
  let earliestDay = firstDay;
  for (let k = 0; k < count; k++) {
    const latestDay = days - 8 - (count - k - 1) * 10;
    if (earliestDay > latestDay) break;
    const day = random.integer(earliestDay, latestDay);
    const kind = weightedKind(random);
    const startHour = random.integer(0, 23);
    const start = startMs + day * MS.day + startHour * MS.hour;
    let durationHours: number;
    let magnitude: number;
    let tailHours: number;
    switch (kind) {
      case 'spike':
        durationHours = random.integer(1, 3);
        magnitude = random.uniform(2, 6);
        tailHours = 2;
        break;
      case 'level-shift':
        durationHours = random.integer(48, 120);
        magnitude = random.chance(0.3) ? random.uniform(0.3, 0.6) : random.uniform(1.5, 2.5);
        tailHours = 6;
        break;
      case 'ramp':
        durationHours = random.integer(72, 144);
        magnitude = random.uniform(2, 3.5);
        tailHours = 6;
        break;
      case 'drop-to-zero':
        durationHours = random.integer(6, 36);
        magnitude = 0;
        tailHours = 2;
        break;
    }
    const end = start + (durationHours - 1) * MS.hour;
    anomalies.push({ kind, startMs: start, endMs: end, windowStartMs: start, windowEndMs: end + tailHours * MS.hour, magnitude });
    earliestDay = Math.ceil((end - startMs) / MS.day) + 8;
  }
  return anomalies;
}

function withAnomalies(
  project: string,
  service: string,
  timestamps: Float64Array,
  normal: Float64Array,
  anomalies: readonly InjectedAnomaly[],
): SyntheticSeries {
  const values = Float64Array.from(normal);
  for (const anomaly of anomalies) {
    const first = Math.round((anomaly.startMs - (timestamps[0] as number)) / MS.hour);
    const last = Math.round((anomaly.endMs - (timestamps[0] as number)) / MS.hour);
    const span = Math.max(1, last - first);
    for (let h = first; h <= last && h < values.length; h++) {
      const normalCost = normal[h] as number;
      switch (anomaly.kind) {
        case 'spike':
        case 'level-shift':
          values[h] = normalCost * anomaly.magnitude;
          break;
        case 'ramp': {
          // Rises over the first two thirds, then holds.
          const progress = Math.min(1, (h - first) / (span * (2 / 3)));
          values[h] = normalCost * (1 + (anomaly.magnitude - 1) * progress);
          break;
        }
        case 'drop-to-zero':
          values[h] = 0;
          break;
        case 'new-service':
          break;
      }
    }
  }
  return { name: `${project}.${service}`, project, service, timestamps, values: rounded(values), anomalies, normalValues: rounded(normal) };
}

function newService(project: string, timestamps: Float64Array, onsetMs: number, random: SeededRandom): SyntheticSeries {
  const level = random.uniform(8, 60);
  const shape: SeriesShape = {
    base: level,
    dailyAmplitude: random.uniform(0.1, 0.5),
    peakHour: random.uniform(10, 16),
    weekendFactor: random.uniform(0.6, 1),
    growthPerDay: 0,
    noise: random.uniform(0.03, 0.1),
    noiseMemory: random.uniform(0.3, 0.8),
    batch: false,
    monthlyPurchase: 0,
  };
  const normal = normalCost(shape, timestamps, random);
  for (let h = 0; h < timestamps.length; h++) if ((timestamps[h] as number) < onsetMs) normal[h] = 0;
  const anomaly: InjectedAnomaly = {
    kind: 'new-service',
    startMs: onsetMs,
    endMs: onsetMs,
    windowStartMs: onsetMs,
    windowEndMs: onsetMs + 24 * MS.hour,
    magnitude: level,
  };
  return {
    name: `${project}.new-ai-platform`,
    project,
    service: 'new-ai-platform',
    timestamps,
    values: rounded(normal),
    anomalies: [anomaly],
    normalValues: new Float64Array(timestamps.length),
  };
}

function weightedKind(random: SeededRandom): Exclude<InjectedAnomalyKind, 'new-service'> {
  let roll = random.next();
  for (const [kind, weight] of ANOMALY_KINDS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'spike';
}

function shuffled<T>(items: readonly T[], random: SeededRandom): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.integer(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function rounded(values: Float64Array): Float64Array {
  return Float64Array.from(values, (v) => Math.round(v * 1e4) / 1e4);
}
