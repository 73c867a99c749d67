import type { SeededRandom } from '../random/seeded-random';
import { MS } from '../time/duration';
import { PARAMETER_RANGES, positionInPart, valueAt, type ParameterName, type ParameterRanges, type RangePart } from './parameter-ranges';
import type { Seasonality, SeriesArchetype } from './synthetic-billing.types';

/** Draws a parameter from its range, restricted to the generator's part of every range. */
export class ParameterDraw {
  constructor(
    private readonly random: SeededRandom,
    private readonly part: RangePart,
    private readonly ranges: ParameterRanges = PARAMETER_RANGES,
  ) {}

  value(name: ParameterName): number {
    return valueAt(this.ranges[name], positionInPart(this.random.next(), this.part));
  }

  integer(name: ParameterName): number {
    return Math.round(this.value(name));
  }
}

/** Everything that makes one usage series' normal cost its own. */
export interface SeriesShape {
  readonly archetype: SeriesArchetype;
  readonly seasonality: Seasonality;
  readonly base: number;
  readonly dailyAmplitude: number;
  readonly peakHour: number;
  readonly weekendFactor: number;
  readonly growthPerDay: number;
  readonly noise: number;
  readonly noiseMemory: number;
  /** Intermittent: stationary share of off hours and mean on-run length (hours). */
  readonly zeroShare: number;
  readonly onRunHours: number;
  /** Batch jobs: first hour (UTC) and length of the run. */
  readonly batchStartHour: number;
  readonly batchHours: number;
  /** Spot: fleet-size changes per hour, largest fleet. */
  readonly spotChangeRate: number;
  readonly maxFleet: number;
  /** Heavy-tailed: burst chance per hour and typical size. */
  readonly burstRate: number;
  readonly burstSize: number;
}

export function drawSeasonality(random: SeededRandom): Seasonality {
  const roll = random.next();
  return roll < 0.35 ? 'strong' : roll < 0.75 ? 'weak' : 'none';
}

export function drawShape(draw: ParameterDraw, random: SeededRandom, archetype: SeriesArchetype, seasonality: Seasonality): SeriesShape {
  const strong = seasonality === 'strong';
  const none = seasonality === 'none';
  return {
    archetype,
    seasonality,
    base: draw.value('baseCost'),
    dailyAmplitude: none ? 0 : draw.value(strong ? 'strongDailyAmplitude' : 'weakDailyAmplitude'),
    peakHour: random.uniform(9, 17),
    weekendFactor: none ? 1 : draw.value(strong ? 'strongWeekendFactor' : 'weakWeekendFactor'),
    growthPerDay: draw.value('growthPerDay'),
    noise: archetype === 'spot' ? draw.value('spotNoise') : draw.value('noise'),
    noiseMemory: draw.value('noiseMemory'),
    zeroShare: draw.value('zeroShare'),
    onRunHours: draw.value('onRunHours'),
    batchStartHour: archetype === 'weekday-batch' ? random.integer(7, 19) : random.integer(0, 5),
    batchHours: draw.integer('batchHours'),
    spotChangeRate: draw.value('spotChangeRate'),
    maxFleet: random.integer(3, 10),
    burstRate: draw.value('burstRate'),
    burstSize: draw.value('burstSize'),
  };
}

/** The calendar a dataset shares: its first hour and its holidays (UTC midnights). */
export interface Calendar {
  readonly startMs: number;
  readonly holidays: ReadonlySet<number>;
}

export function isBusinessDay(calendar: Calendar, t: number): boolean {
  const weekday = new Date(t).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(t - (t % MS.day));
}

/**
 * The expected ("on") level of a series at hour t: base, compounding growth, the daily
 * business-hours cycle and quieter weekends and holidays. Anomalies scale this level.
 */
export function typicalLevel(shape: SeriesShape, calendar: Calendar, t: number): number {
  const day = (t - calendar.startMs) / MS.day;
  let level = shape.base * Math.pow(1 + shape.growthPerDay, day);
  if (!isBusinessDay(calendar, t)) level *= shape.weekendFactor;
  const hour = new Date(t).getUTCHours();
  return level * (1 + shape.dailyAmplitude * Math.cos((2 * Math.PI * (hour - shape.peakHour)) / 24));
}

/**
 * A usage series' normal hourly cost: its typical level times AR(1) log-noise, switched on
 * and off by its archetype — a Markov on/off chain for intermittent series, a daily or
 * weekday run for batch jobs, a fleet that grows, shrinks and is interrupted for spot
 * capacity, and occasional exponential bursts for heavy-tailed usage.
 */
export function normalCost(shape: SeriesShape, calendar: Calendar, timestamps: Float64Array, random: SeededRandom): Float64Array {
  const out = new Float64Array(timestamps.length);
  const innovation = shape.noise * Math.sqrt(1 - shape.noiseMemory * shape.noiseMemory);
  let logNoise = random.normal(0, shape.noise);
  const offToOn = (1 / shape.onRunHours) * ((1 - shape.zeroShare) / shape.zeroShare);
  let on = random.next() >= shape.zeroShare;
  let fleet = Math.ceil(shape.maxFleet / 2);
  let interruptedFor = 0;
  for (let h = 0; h < timestamps.length; h++) {
    const t = timestamps[h] as number;
    logNoise = shape.noiseMemory * logNoise + random.normal(0, innovation);
    let cost = typicalLevel(shape, calendar, t) * Math.exp(logNoise - (shape.noise * shape.noise) / 2);
    switch (shape.archetype) {
      case 'always-on':
        break;
      case 'intermittent':
        on = on ? random.next() >= 1 / shape.onRunHours : random.next() < offToOn;
        if (!on) cost = 0;
        break;
      case 'nightly-batch':
      case 'weekday-batch': {
        const hour = new Date(t).getUTCHours();
        const running = hour >= shape.batchStartHour && hour < shape.batchStartHour + shape.batchHours;
        const runsToday = shape.archetype === 'nightly-batch' || isBusinessDay(calendar, t);
        cost = running && runsToday ? cost * 4 : 0;
        break;
      }
      case 'spot':
        if (random.next() < shape.spotChangeRate) fleet = Math.min(shape.maxFleet, Math.max(1, fleet + (random.chance(0.5) ? 1 : -1)));
        if (interruptedFor === 0 && random.next() < 0.01) interruptedFor = random.integer(1, 3);
        if (interruptedFor > 0) {
          interruptedFor--;
          cost = 0;
        } else {
          cost *= (2 * fleet) / (shape.maxFleet + 1);
        }
        break;
      case 'heavy-tailed':
        if (random.next() < shape.burstRate) cost *= 1 + (shape.burstSize - 1) * Math.min(3, -Math.log(1 - random.next()));
        break;
    }
    out[h] = cost;
  }
  return out;
}
