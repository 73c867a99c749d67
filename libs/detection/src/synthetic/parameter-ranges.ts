/** A parameter's range; `log` ranges are drawn uniformly in log space (costs span decades). */
export interface ParameterRange {
  readonly min: number;
  readonly max: number;
  readonly scale: 'linear' | 'log';
}

/**
 * Which part of every range a generator draws from. `tune` and `report` split each range into
 * quarters and take alternate ones (Q1 ∪ Q3 for tuning, Q2 ∪ Q4 for reporting), so the two
 * parts never share a parameter value yet cover the same span: reporting on `report` is
 * reporting on shapes the tuning never saw, without a systematic shift towards easier or
 * harder data.
 */
export type RangePart = 'all' | 'tune' | 'report';

const range = (min: number, max: number, scale: ParameterRange['scale'] = 'linear'): ParameterRange => ({ min, max, scale });

/**
 * Every range a synthetic series draws its shape from. Each series draws its own values, so
 * no two series share a shape; the evaluation protocol holds parts of these ranges out.
 */
export const PARAMETER_RANGES = {
  /** Typical hourly cost of a usage series ($/h). */
  baseCost: range(0.3, 120, 'log'),
  /** Standard deviation of the AR(1) log-noise, and its hour-to-hour memory. */
  noise: range(0.02, 0.15),
  noiseMemory: range(0.2, 0.85),
  /** Daily business-hours amplitude for strongly and weakly seasonal series. */
  strongDailyAmplitude: range(0.3, 0.8),
  weakDailyAmplitude: range(0.03, 0.2),
  /** Weekend level as a fraction of a weekday's, for strongly and weakly seasonal series. */
  strongWeekendFactor: range(0.35, 0.7),
  weakWeekendFactor: range(0.8, 0.97),
  /** Compounding growth per day. */
  growthPerDay: range(-0.002, 0.012),
  /** Share of zero hours of an intermittent series, and the mean length of its on-runs. */
  zeroShare: range(0.2, 0.7),
  onRunHours: range(2, 10),
  /** Log-noise of spot-like capacity, and how often its fleet size changes (per hour). */
  spotNoise: range(0.15, 0.45),
  spotChangeRate: range(0.01, 0.06),
  /** Heavy-tailed series: chance of a burst per hour and its size (×). */
  burstRate: range(0.002, 0.02),
  burstSize: range(1.3, 2.5),
  /** Length of a nightly / weekday batch run (hours) and its cost relative to the base. */
  batchHours: range(1, 5),
  /** Month-start and mid-month purchases, in days of the series' typical cost. */
  purchaseDays: range(0.5, 10, 'log'),
  /** Credits as a share of the covered service's daily cost; tax as a share of the project's. */
  creditShare: range(0.05, 0.3),
  taxRate: range(0.05, 0.12),
  /** Labelled anomalies. */
  spikeMagnitude: range(2.5, 8),
  spikeHours: range(1, 4),
  shiftUp: range(1.8, 3.5),
  shiftDown: range(0.1, 0.45),
  shiftHours: range(48, 120),
  rampTo: range(2, 5),
  rampHours: range(48, 144),
  dropHours: range(6, 36),
  newServiceCost: range(15, 150, 'log'),
  stuckOnHours: range(24, 96),
  /** The hourly-small, daily-large change: +20–40% for 2–4 days on an always-on service. */
  smallChange: range(0.2, 0.4),
  smallChangeHours: range(48, 96),
} as const satisfies Record<string, ParameterRange>;

export type ParameterName = keyof typeof PARAMETER_RANGES;
export type ParameterRanges = Readonly<Record<ParameterName, ParameterRange>>;

/**
 * Maps a uniform u ∈ [0, 1) into the part of [0, 1) that `part` allows: the whole interval,
 * quarters 1 and 3 (`tune`) or quarters 2 and 4 (`report`), uniform within them.
 */
export function positionInPart(u: number, part: RangePart): number {
  if (part === 'all') return u;
  const half = u < 0.5 ? 0 : 1;
  const within = (u - half * 0.5) * 2;
  const quarter = 2 * half + (part === 'tune' ? 0 : 1);
  return (quarter + within) / 4;
}

/** The value at `position` ∈ [0, 1) of a range (log ranges interpolate in log space). */
export function valueAt(range: ParameterRange, position: number): number {
  if (range.scale === 'log') return Math.exp(Math.log(range.min) + (Math.log(range.max) - Math.log(range.min)) * position);
  return range.min + (range.max - range.min) * position;
}

/** Which part of `range` a value lies in (`tune` or `report`): the inverse of the split. */
export function partOf(range: ParameterRange, value: number): Exclude<RangePart, 'all'> {
  const position =
    range.scale === 'log'
      ? (Math.log(value) - Math.log(range.min)) / (Math.log(range.max) - Math.log(range.min))
      : (value - range.min) / (range.max - range.min);
  const quarter = Math.min(3, Math.max(0, Math.floor(position * 4)));
  return quarter % 2 === 0 ? 'tune' : 'report';
}
