import { MS, evaluate, type BaselineStats, type CompiledRule, type Judgement } from '@costwatch/detection';

/**
 * A baseline as judged: the statistics of the whole window, the share of observations with
 * a cost, and — when that share is below 1 — the statistics of those observations only.
 */
export interface JudgedBaseline {
  stats: BaselineStats;
  activeFraction: number;
  active: BaselineStats | null;
  /** The last 7 days only, for rules that judge against the recent range (hourly baselines). */
  recent?: BaselineStats | null;
}

/**
 * Below this share of observations with a cost a series is intermittent (batch jobs, dev
 * environments off at night or at weekends, spot capacity): it is judged on what it costs
 * while active, and never for being off. An always-on service sits at or near 1.
 */
export const INTERMITTENT_BELOW = 0.9;

/** No history: what a missing baseline means once it is certain none is coming (first-seen / cold start). */
export function emptyBaseline(asOfMs: number): BaselineStats {
  return { windowStartMs: asOfMs - 30 * MS.day, asOfMs, count: 0, mean: 0, std: 0, median: 0, mad: 0, meanAbsDev: 0, min: Number.NaN, max: Number.NaN };
}

const whileActive = new WeakMap<CompiledRule, CompiledRule>();
const whileOff = new WeakMap<CompiledRule, CompiledRule>();

function variant(cache: WeakMap<CompiledRule, CompiledRule>, rule: CompiledRule, make: (rule: CompiledRule) => CompiledRule): CompiledRule {
  let derived = cache.get(rule);
  if (derived === undefined) {
    derived = make(rule);
    cache.set(rule, derived);
  }
  return derived;
}

/**
 * Judges one value. An intermittent series (see {@link INTERMITTENT_BELOW}) is judged against
 * the statistics of its active observations when it costs something, and is normal when it
 * costs nothing; any other series against its whole window.
 */
export function judgeValue(timestampMs: number, value: number, baseline: JudgedBaseline | null, rule: CompiledRule, asOfMs: number, window: 'full' | 'recent' = 'full'): Judgement {
  if (baseline === null) return evaluate({ timestampMs, value }, emptyBaseline(asOfMs), rule);
  if (window === 'recent') return evaluate({ timestampMs, value }, baseline.recent ?? emptyBaseline(asOfMs), rule);
  if (baseline.activeFraction < INTERMITTENT_BELOW && baseline.active !== null) {
    if (value === 0) return evaluate({ timestampMs, value }, baseline.stats, variant(whileOff, rule, (r) => ({ ...r, dropToZeroMinExpected: Number.POSITIVE_INFINITY, predicate: () => false })));
    return evaluate({ timestampMs, value }, baseline.active, variant(whileActive, rule, (r) => ({ ...r, dropToZeroMinExpected: Number.POSITIVE_INFINITY })));
  }
  return evaluate({ timestampMs, value }, baseline.stats, rule);
}
