import { generateSyntheticBilling, type RangePart } from '@costwatch/detection';
import { toLabelledSeries } from '../../synthetic/synthetic-billing.labels';
import type { LabelledSeries } from '../labelled-series';
import type { ProtocolHalf } from './nab-split';

/**
 * The synthetic part of the protocol: tuning draws seeds 1–2 from the `tune` quarters of every
 * parameter range; reporting draws seeds 101–102 from the `report` quarters — held-out seeds
 * and held-out ranges at once. Each side also has anomaly-free datasets (seeds 11 / 111) for
 * the false-alert rate. Seeds never overlap between sides.
 */
export const SYNTHETIC_SPLIT: Readonly<Record<ProtocolHalf, { readonly part: RangePart; readonly seeds: readonly number[]; readonly quietSeeds: readonly number[] }>> = {
  tune: { part: 'tune', seeds: [1, 2], quietSeeds: [11] },
  report: { part: 'report', seeds: [101, 102], quietSeeds: [111] },
};

/** How big each synthetic dataset is: by default 120 days of 8 projects × 6 services (plus charge lines). */
export interface SyntheticShape {
  readonly days: number;
  readonly projectsPerDomain: number;
}

export const DEFAULT_SYNTHETIC_SHAPE: SyntheticShape = { days: 120, projectsPerDomain: 8 };

export interface SyntheticCorpus {
  /** Billing-shaped series with labelled anomalies. */
  readonly labelled: LabelledSeries[];
  /** Anomaly-free series (intermittent ones included): every alert is false. */
  readonly quiet: LabelledSeries[];
  /** Each quiet series' archetype (usage) or line (purchase, credit, tax), by name, to break the false-alert rate down. */
  readonly kindOf: ReadonlyMap<string, string>;
}

export function syntheticCorpus(half: ProtocolHalf, shape: SyntheticShape = DEFAULT_SYNTHETIC_SHAPE): SyntheticCorpus {
  const { part, seeds, quietSeeds } = SYNTHETIC_SPLIT[half];
  const SHAPE = { ...shape, domains: 1, servicesPerProject: 6 };
  const labelled = seeds.flatMap((seed) => toLabelledSeries(generateSyntheticBilling({ ...SHAPE, seed, part }), `synthetic-${seed}`));
  const kindOf = new Map<string, string>();
  const quiet = quietSeeds.flatMap((seed) => {
    const dataset = generateSyntheticBilling({ ...SHAPE, seed, part, anomalies: 0 });
    const series = toLabelledSeries(dataset, `quiet-${seed}`);
    dataset.series.forEach((s, i) => kindOf.set(series[i]?.name ?? '', s.line === 'usage' ? s.archetype : s.line));
    return series;
  });
  return { labelled, quiet, kindOf };
}
