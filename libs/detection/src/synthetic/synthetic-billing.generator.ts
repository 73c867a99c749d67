import { SeededRandom } from '../random/seeded-random';
import { MS } from '../time/duration';
import { injectAnomalies, type UsageDraft } from './anomaly-injection';
import { addChargeLines, type LineDraft } from './charge-lines';
import { PARAMETER_RANGES, type ParameterRanges, type RangePart } from './parameter-ranges';
import { reportingOf } from './reporting';
import { ARCHETYPE_WEIGHTS, SERVICE_CATALOGUE, type CatalogueService } from './service-catalogue';
import { drawSeasonality, drawShape, normalCost, ParameterDraw, type Calendar } from './series-shape';
import { ANOMALY_KINDS, type InjectedAnomalyKind, type SeriesArchetype, type SyntheticBillingDataset, type SyntheticSeries } from './synthetic-billing.types';

export interface SyntheticBillingOptions {
  readonly seed?: number;
  readonly days?: number;
  /** First hour (UTC ms); default 2024-01-01T00:00Z. */
  readonly startMs?: number;
  readonly domains?: number;
  readonly projectsPerDomain?: number;
  readonly servicesPerProject?: number;
  /** No anomaly starts before this day: baselines need history. */
  readonly firstAnomalyDay?: number;
  /** Labelled anomalies to inject (an upper bound: one that finds no room is skipped); default 0.6 per usage series. */
  readonly anomalies?: number;
  /** The kinds to inject, in turn. */
  readonly kinds?: readonly InjectedAnomalyKind[];
  /** Which part of every parameter range the series draw from (the protocol holds parts out). */
  readonly part?: RangePart;
  readonly ranges?: ParameterRanges;
  /** Share of usage series that appear part-way, cheap (normal, unlabelled first-seen). */
  readonly lateStartRate?: number;
  /** Share of series-days first reported low and restated a day later. */
  readonly restatementRate?: number;
  /** Share of series-days with a few hours that arrive late. */
  readonly lateDataRate?: number;
  /** Purchases, credits and tax lines (default on). */
  readonly charges?: boolean;
}

/**
 * One seeded generator of cloud-bill-shaped hourly costs, for both the pipeline (through
 * `@costwatch/synthetic`'s records) and the evaluation lab (as labelled series).
 *
 * Normal behaviour, every series with its own parameters drawn from PARAMETER_RANGES:
 * always-on services with strong, weak or no daily and weekly seasonality; intermittent
 * series (20–70% zero hours); nightly and weekday-only batch jobs; noisy spot capacity;
 * heavy-tailed usage with bursts; growth; holidays; month-start and mid-month purchases,
 * credits (negative) and tax lines; services that appear part-way; late data and
 * restatements. Labelled anomalies: spikes, level shifts, runaway ramps, drops to zero of
 * always-on services, new expensive services, intermittent jobs that stop switching off,
 * and changes small per hour but large per day. Same options, same dataset, on every machine.
 */
export function generateSyntheticBilling(options: SyntheticBillingOptions = {}): SyntheticBillingDataset {
  const seed = options.seed ?? 42;
  const days = options.days ?? 120;
  const startMs = options.startMs ?? Date.UTC(2024, 0, 1);
  const firstAnomalyDay = options.firstAnomalyDay ?? 21;
  const hours = days * 24;
  const random = new SeededRandom(seed);
  const draw = new ParameterDraw(random, options.part ?? 'all', options.ranges ?? PARAMETER_RANGES);
  const timestamps = new Float64Array(hours);
  for (let h = 0; h < hours; h++) timestamps[h] = startMs + h * MS.hour;
  const holidays = drawHolidays(random, startMs, days);
  const calendar: Calendar = { startMs, holidays: new Set(holidays) };

  const drafts: UsageDraft[] = [];
  const lateStartRate = options.lateStartRate ?? 0.05;
  const projects: Array<{ domain: string; project: string }> = [];
  for (let d = 0; d < (options.domains ?? 1); d++) {
    const domain = `domain-${pad(d + 1)}`;
    for (let p = 0; p < (options.projectsPerDomain ?? 6); p++) {
      const project = `project-${pad(d + 1)}-${pad(p + 1)}`;
      projects.push({ domain, project });
      const used = new Set<string>();
      for (let s = 0; s < (options.servicesPerProject ?? 6); s++) {
        const [archetype, service] = drawService(random, used);
        const lateStart = random.chance(lateStartRate);
        const firstHour = lateStart ? random.integer(firstAnomalyDay * 24, Math.max(firstAnomalyDay * 24, hours - 48)) : 0;
        const shape = drawShape(draw, random, archetype, drawSeasonality(random));
        // A service that appears part-way is a small one (an expensive one is the labelled kind).
        const scaled = lateStart ? { ...shape, base: Math.min(shape.base, 2) } : shape;
        const normal = normalCost(scaled, calendar, timestamps, random);
        normal.fill(0, 0, firstHour);
        drafts.push({ domain, project, service: service.id, serviceName: service.name, shape: scaled, firstHour, normal, values: Float64Array.from(normal), anomalies: [] });
      }
    }
  }

  const usageSeries = drafts.length;
  injectAnomalies(drafts, options.anomalies ?? Math.round(0.6 * usageSeries), options.kinds ?? ANOMALY_KINDS, {
    random,
    draw,
    calendar,
    timestamps,
    firstAnomalyDay,
    days,
    addNewService: (onsetHour) => {
      const owner = random.pick(projects);
      const shape = { ...drawShape(draw, random, 'always-on', 'weak'), base: draw.value('newServiceCost') };
      const normal = normalCost(shape, calendar, timestamps, random);
      normal.fill(0, 0, onsetHour);
      const index = drafts.filter((d) => d.service.startsWith('ai-platform')).length + 1;
      const draft: UsageDraft = { ...owner, service: `ai-platform-${index}`, serviceName: 'AI Platform', shape, firstHour: onsetHour, normal, values: Float64Array.from(normal), anomalies: [] };
      drafts.push(draft);
      return draft;
    },
  });

  const lines: LineDraft[] = options.charges === false ? [] : addChargeLines(drafts, projects, { random, draw, timestamps });
  const restatementRate = options.restatementRate ?? 0.02;
  const lateDataRate = options.lateDataRate ?? 0.01;
  const series: SyntheticSeries[] = [...drafts.map(usageDraftToLine), ...lines].map((line) => {
    const values = rounded(line.values);
    const { firstReported, lateHours } = reportingOf(values, line.firstHour, random, restatementRate, lateDataRate);
    return {
      name: `${line.domain}.${line.project}.${line.service}`,
      domain: line.domain,
      project: line.project,
      service: line.service,
      serviceName: line.serviceName,
      line: line.line,
      archetype: line.archetype,
      seasonality: line.seasonality,
      firstHour: line.firstHour,
      timestamps,
      values,
      firstReported,
      lateHours,
      anomalies: line.anomalies,
      normalValues: rounded(line.normal),
    };
  });
  return { seed, startMs, hours, holidays, series };
}

function usageDraftToLine(draft: UsageDraft): LineDraft {
  return { ...draft, line: 'usage', archetype: draft.shape.archetype, seasonality: draft.shape.seasonality };
}

/** New Year's Day and Christmas when inside the period, plus one to three other weekdays. */
function drawHolidays(random: SeededRandom, startMs: number, days: number): number[] {
  const holidays = new Set<number>();
  for (let d = 0; d < days; d++) {
    const date = new Date(startMs + d * MS.day);
    if ((date.getUTCMonth() === 0 && date.getUTCDate() === 1) || (date.getUTCMonth() === 11 && date.getUTCDate() === 25)) holidays.add(startMs + d * MS.day);
  }
  const extra = random.integer(1, 3);
  for (let i = 0; i < extra; i++) {
    const day = startMs + random.integer(7, Math.max(7, days - 1)) * MS.day;
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) holidays.add(day - (day % MS.day));
  }
  return [...holidays].sort((a, b) => a - b);
}

function drawService(random: SeededRandom, used: Set<string>): readonly [SeriesArchetype, CatalogueService] {
  for (let attempt = 0; attempt < 20; attempt++) {
    let roll = random.next();
    let archetype: SeriesArchetype = 'always-on';
    for (const [candidate, weight] of ARCHETYPE_WEIGHTS) {
      roll -= weight;
      if (roll < 0) {
        archetype = candidate;
        break;
      }
    }
    const free = SERVICE_CATALOGUE[archetype].filter((s) => !used.has(s.id));
    if (free.length === 0) continue;
    const service = random.pick(free);
    used.add(service.id);
    return [archetype, service];
  }
  // Every plausible name is taken: an always-on service with a numbered id.
  const id = `service-${used.size + 1}`;
  used.add(id);
  return ['always-on', { id, name: `Service ${used.size}` }];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function rounded(values: Float64Array): Float64Array {
  return Float64Array.from(values, (v) => Math.round(v * 1e4) / 1e4 || 0);
}
