import type { LabelledSeries } from '../eval/labelled-series';
import type { SyntheticBillingDataset } from './synthetic-billing.types';

export const SYNTHETIC_GROUP = 'synthetic';

/** The dataset as labelled series named `synthetic/<series>.csv` (its NAB-layout file names). */
export function toLabelledSeries(dataset: SyntheticBillingDataset): LabelledSeries[] {
  return dataset.series.map((series) => ({
    name: `${SYNTHETIC_GROUP}/${series.name}.csv`,
    timestamps: series.timestamps,
    values: series.values,
    windows: series.anomalies.map((a) => ({ startMs: a.windowStartMs, endMs: a.windowEndMs })),
  }));
}
