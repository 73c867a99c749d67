import type { PresetName } from '@costwatch/detection';

/**
 * The candidates the protocol tries for each preset on the tuning part: the preset as
 * shipped ('') and a few overrides of its threshold (or its one key parameter). Small on
 * purpose: each candidate is a full replay, and the protocol must stay a few minutes long.
 */
export const TUNING_GRID: Readonly<Record<PresetName, readonly string[]>> = {
  seed: ['', 'rule=z > 4 OR ratio > 3', 'rule=z > 6 OR ratio > 4'],
  robust: ['', 'rule=abs(robustZ) > 5', 'rule=abs(robustZ) > 12'],
  seasonal: ['', 'rule=abs(seasonalZ) > 6', 'rule=abs(seasonalZ) > 16'],
  ewma: ['', 'rule=abs(ewmaZ) > 5', 'rule=abs(ewmaZ) > 12'],
  hst: ['', 'rule=hst > 0.8', 'rule=hst > 0.97'],
  adwin: ['', 'drift=0.0002', 'drift=0.02'],
  extreme: ['', 'rule=abs(extremeZ) > 0.5', 'rule=abs(extremeZ) > 2'],
  billing: ['', 'rule=abs(seasonalZ) > 16 AND relDelta >= 100%', 'zeroInflated=on', 'zeroInflated=on,rule=abs(seasonalZ) > 16 AND relDelta >= 100%'],
};

/** `preset` or `preset:overrides`. */
export function candidateSpec(preset: PresetName, overrides: string): string {
  return overrides === '' ? preset : `${preset}:${overrides}`;
}
