import type { SyntheticBillingDataset } from '@costwatch/detection';
import type { LabelledSeries } from '../eval/labelled-series';

export const SYNTHETIC_GROUP = 'synthetic';

/**
 * The dataset as labelled series named `synthetic/<series>.csv` (its NAB-layout file names).
 * Values are what the source first reported — a detector judges an hour when it arrives, so
 * a late hour is missing (NaN) and a restated hour shows its first, low amount.
 */
export function toLabelledSeries(dataset: SyntheticBillingDataset, group = SYNTHETIC_GROUP): LabelledSeries[] {
  return dataset.series.map((series) => ({
    name: `${group}/${series.name}.csv`,
    timestamps: series.timestamps,
    values: series.firstReported,
    windows: series.anomalies.map((a) => ({ startMs: a.windowStartMs, endMs: a.windowEndMs })),
  }));
}
