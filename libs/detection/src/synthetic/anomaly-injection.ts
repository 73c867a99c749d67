import type { SeededRandom } from '../random/seeded-random';
import { MS } from '../time/duration';
import { typicalLevel, type Calendar, type ParameterDraw, type SeriesShape } from './series-shape';
import type { InjectedAnomaly, InjectedAnomalyKind, SeriesArchetype } from './synthetic-billing.types';

/** A usage series while the generator builds it. */
export interface UsageDraft {
  readonly domain: string;
  readonly project: string;
  readonly service: string;
  readonly serviceName: string;
  readonly shape: SeriesShape;
  readonly firstHour: number;
  readonly normal: Float64Array;
  readonly values: Float64Array;
  readonly anomalies: InjectedAnomaly[];
}

/** Which series can host each kind (a drop to zero only means something on an always-on service). */
const HOSTS: Readonly<Record<Exclude<InjectedAnomalyKind, 'new-expensive-service'>, ReadonlySet<SeriesArchetype>>> = {
  spike: new Set(['always-on', 'intermittent', 'weekday-batch', 'spot', 'heavy-tailed']),
  'level-shift': new Set(['always-on', 'spot', 'heavy-tailed']),
  ramp: new Set(['always-on', 'heavy-tailed']),
  'drop-to-zero': new Set(['always-on']),
  'stuck-on': new Set(['intermittent', 'nightly-batch', 'weekday-batch']),
  'small-hourly-large-daily': new Set(['always-on']),
};

/** Hours after an anomaly's end during which a detection still counts. */
const TAIL_HOURS: Readonly<Record<InjectedAnomalyKind, number>> = {
  spike: 2,
  'level-shift': 6,
  ramp: 6,
  'drop-to-zero': 2,
  'new-expensive-service': 24,
  'stuck-on': 6,
  'small-hourly-large-daily': 6,
};

/** Anomalies on one series keep this far apart, so that each is judged against a normal baseline. */
const SEPARATION_MS = 10 * MS.day;

export interface InjectionContext {
  readonly random: SeededRandom;
  readonly draw: ParameterDraw;
  readonly calendar: Calendar;
  readonly timestamps: Float64Array;
  readonly firstAnomalyDay: number;
  readonly days: number;
  /** Adds a new, expensive service starting at `onsetHour` (the generator owns series creation). */
  readonly addNewService: (onsetHour: number) => UsageDraft;
}

/**
 * Injects `count` labelled anomalies, cycling through `kinds`, each on a series that can
 * host it and at least 10 days from any other anomaly of that series. An anomaly that finds
 * no room is skipped, so the count is an upper bound.
 */
export function injectAnomalies(drafts: readonly UsageDraft[], count: number, kinds: readonly InjectedAnomalyKind[], context: InjectionContext): void {
  const { random, draw } = context;
  if (context.firstAnomalyDay >= context.days) return;
  for (let k = 0; k < count && kinds.length > 0; k++) {
    const kind = kinds[k % kinds.length] as InjectedAnomalyKind;
    if (kind === 'new-expensive-service') {
      const day = random.integer(Math.min(context.firstAnomalyDay + 3, context.days - 1), Math.max(context.firstAnomalyDay, context.days - 5));
      const onset = day * 24 + random.integer(8, 16);
      const startMs = context.timestamps[onset];
      if (startMs === undefined) continue;
      const draft = context.addNewService(onset);
      draft.anomalies.push(window(kind, startMs, startMs, draft.shape.base));
      continue;
    }
    const hosts = drafts.filter((d) => d.firstHour === 0 && HOSTS[kind].has(d.shape.archetype));
    for (let attempt = 0; attempt < 40 && hosts.length > 0; attempt++) {
      const host = random.pick(hosts);
      const hours = durationHours(kind, draw);
      // Room for the whole anomaly and a day after it; a short history truncates it instead.
      const lastStartDay = Math.max(context.firstAnomalyDay, context.days - 2 - Math.ceil(hours / 24));
      let start = random.integer(context.firstAnomalyDay, lastStartDay) * 24 + random.integer(0, 23);
      if (kind === 'stuck-on') start = nextOffHour(host, start);
      const end = Math.min(context.timestamps.length - 1, start + hours - 1);
      const startMs = context.timestamps[start] as number;
      const endMs = context.timestamps[end] as number;
      if (host.anomalies.some((a) => startMs < a.windowEndMs + SEPARATION_MS && endMs + SEPARATION_MS > a.startMs)) continue;
      const magnitude = applyAnomaly(kind, host, start, end, context);
      host.anomalies.push(window(kind, startMs, endMs, magnitude));
      break;
    }
  }
}

function window(kind: InjectedAnomalyKind, startMs: number, endMs: number, magnitude: number): InjectedAnomaly {
  return { kind, startMs, endMs, windowStartMs: startMs, windowEndMs: endMs + TAIL_HOURS[kind] * MS.hour, magnitude };
}

function durationHours(kind: Exclude<InjectedAnomalyKind, 'new-expensive-service'>, draw: ParameterDraw): number {
  switch (kind) {
    case 'spike':
      return draw.integer('spikeHours');
    case 'level-shift':
      return draw.integer('shiftHours');
    case 'ramp':
      return draw.integer('rampHours');
    case 'drop-to-zero':
      return draw.integer('dropHours');
    case 'stuck-on':
      return draw.integer('stuckOnHours');
    case 'small-hourly-large-daily':
      return draw.integer('smallChangeHours');
  }
}

/** The first hour at or after `from` when the job is normally off (a stuck job is one that stays on then). */
function nextOffHour(host: UsageDraft, from: number): number {
  for (let h = from; h < host.normal.length; h++) if ((host.normal[h] as number) === 0) return h;
  return from;
}

/** Rewrites the host's values over [start, end]; returns the anomaly's magnitude. */
function applyAnomaly(kind: Exclude<InjectedAnomalyKind, 'new-expensive-service'>, host: UsageDraft, start: number, end: number, context: InjectionContext): number {
  const { draw, random, calendar, timestamps } = context;
  const { normal, values, shape } = host;
  const typical = (h: number): number => typicalLevel(shape, calendar, timestamps[h] as number);
  let magnitude: number;
  switch (kind) {
    case 'spike':
      magnitude = draw.value('spikeMagnitude');
      for (let h = start; h <= end; h++) values[h] = (normal[h] as number) + (magnitude - 1) * typical(h);
      return magnitude;
    case 'level-shift':
      magnitude = random.chance(0.3) ? draw.value('shiftDown') : draw.value('shiftUp');
      for (let h = start; h <= end; h++) values[h] = (normal[h] as number) * magnitude;
      return magnitude;
    case 'ramp': {
      // A runaway: rises over the first two thirds, then holds at its peak.
      magnitude = draw.value('rampTo');
      const rise = Math.max(1, (end - start) * (2 / 3));
      for (let h = start; h <= end; h++) values[h] = (normal[h] as number) * (1 + (magnitude - 1) * Math.min(1, (h - start + 1) / rise));
      return magnitude;
    }
    case 'drop-to-zero':
      for (let h = start; h <= end; h++) values[h] = 0;
      return 0;
    case 'stuck-on': {
      // The job's on-level in the hours it should be off.
      const onLevel = shape.archetype === 'intermittent' ? 1 : 4;
      for (let h = start; h <= end; h++) {
        if ((normal[h] as number) === 0) values[h] = typical(h) * onLevel * Math.exp(random.normal(0, shape.noise));
      }
      return onLevel;
    }
    case 'small-hourly-large-daily':
      magnitude = 1 + draw.value('smallChange');
      for (let h = start; h <= end; h++) values[h] = (normal[h] as number) * magnitude;
      return magnitude;
  }
}
