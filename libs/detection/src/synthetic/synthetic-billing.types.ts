export type InjectedAnomalyKind = 'spike' | 'level-shift' | 'ramp' | 'drop-to-zero' | 'new-service';

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
  /** Multiplier applied to the normal cost (0 for a drop, the new cost level in $/h for a new service). */
  readonly magnitude: number;
}

export interface SyntheticSeries {
  /** `<project>.<service>`, unique in the dataset. */
  readonly name: string;
  readonly project: string;
  readonly service: string;
  /** Hourly timestamps (UTC ms). */
  readonly timestamps: Float64Array;
  /** Hourly cost in $, rounded to 1e-4. */
  readonly values: Float64Array;
  readonly anomalies: readonly InjectedAnomaly[];
  /** Cost without the injected anomalies (what a perfect baseline would expect). */
  readonly normalValues: Float64Array;
}

export interface SyntheticBillingDataset {
  readonly seed: number;
  readonly startMs: number;
  readonly hours: number;
  readonly series: readonly SyntheticSeries[];
}
