import { standardise } from './score-observation';

/**
 * Exponentially weighted mean and variance (West/Finch incremental form). The state is three
 * numbers, so a service can persist it per series; `alpha` comes from a half-life in samples.
 */
export interface EwmaState {
  mean: number;
  variance: number;
  count: number;
}

export function ewmaAlpha(halfLifeSamples: number): number {
  return 1 - Math.pow(2, -1 / Math.max(halfLifeSamples, 1e-9));
}

export function createEwmaState(): EwmaState {
  return { mean: Number.NaN, variance: 0, count: 0 };
}

/** z of `value` against the state (before learning it); ±∞ / 0 on zero variance like every z here. */
export function ewmaZ(state: EwmaState, value: number): number {
  if (state.count === 0) return Number.NaN;
  return standardise(value, state.mean, Math.sqrt(state.variance));
}

export function ewmaUpdate(state: EwmaState, value: number, alpha: number): void {
  if (state.count === 0) {
    state.mean = value;
    state.variance = 0;
  } else {
    const diff = value - state.mean;
    const increment = alpha * diff;
    state.mean += increment;
    state.variance = (1 - alpha) * (state.variance + diff * increment);
  }
  state.count++;
}
