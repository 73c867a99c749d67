/** Labelled anomaly shapes (the events a detector should report). */
export const ANOMALY_KINDS = [
  'spike',
  'level-shift',
  'ramp',
  'drop-to-zero',
  'new-expensive-service',
  'stuck-on',
  'small-hourly-large-daily',
] as const;
export type InjectedAnomalyKind = (typeof ANOMALY_KINDS)[number];

/** How a usage series behaves when nothing is wrong. */
export type SeriesArchetype = 'always-on' | 'intermittent' | 'nightly-batch' | 'weekday-batch' | 'spot' | 'heavy-tailed';

/** Daily/weekly seasonality of a series: strong, weak or none. */
export type Seasonality = 'strong' | 'weak' | 'none';

/**
 * What a cost line is: usage, or one of the charges that follow a calendar rather than
 * usage (normal, unlabelled look-alikes of anomalies).
 */
export type ChargeLine = 'usage' | 'purchase' | 'credit' | 'tax';

/** One labelled anomaly: when it is in the data, and the window in which detecting it counts. */
export interface InjectedAnomaly {
  readonly kind: InjectedAnomalyKind;
  /** First affected hour. */
  readonly startMs: number;
  /** Last affected hour (inclusive). */
  readonly endMs: number;
  /** The labelled window (NAB semantics: an alert starting inside it finds the anomaly). */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** Multiplier of the normal cost (0 for a drop); for a new service, its cost level in $/h. */
  readonly magnitude: number;
}

export interface SyntheticSeries {
  /** `<domain>.<project>.<service>`, unique in the dataset. */
  readonly name: string;
  readonly domain: string;
  readonly project: string;
  readonly service: string;
  readonly serviceName: string;
  readonly line: ChargeLine;
  readonly archetype: SeriesArchetype;
  readonly seasonality: Seasonality;
  /** Hour index of the series' first cost (0 unless it appears part-way). */
  readonly firstHour: number;
  /** Hourly timestamps (UTC ms), shared by every series of the dataset. */
  readonly timestamps: Float64Array;
  /** Final hourly cost in $ (after restatements), rounded to 1e-4; credits are negative. */
  readonly values: Float64Array;
  /**
   * What the source first reported for each hour: a restated hour's first amount, and NaN
   * for an hour whose data arrived late (not there when the hour was first judged).
   */
  readonly firstReported: Float64Array;
  /** Hours (indices) whose data arrives late, and after how many hours. */
  readonly lateHours: ReadonlyMap<number, number>;
  readonly anomalies: readonly InjectedAnomaly[];
  /** Cost without the injected anomalies (what a perfect baseline would expect). */
  readonly normalValues: Float64Array;
}

export interface SyntheticBillingDataset {
  readonly seed: number;
  readonly startMs: number;
  readonly hours: number;
  /** Days treated as public holidays (UTC midnight ms): business-hours usage behaves as on a weekend. */
  readonly holidays: readonly number[];
  readonly series: readonly SyntheticSeries[];
}
