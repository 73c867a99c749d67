import { MS, createEwmaState, evaluate, ewmaUpdate, ewmaZ, seasonalSlot, type BaselineStats, type CompiledRule, type EwmaState, type Judgement } from '@costwatch/detection';
import { EWMA_ALPHA, EWMA_HALF_LIFE_OBSERVATIONS, usesEwma } from './detection-rules';

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

/**
 * An hour that costs nothing is a drop only for a series with a cost in at least this share
 * of its history's hours: spot capacity with a few interrupted hours a month, or a service
 * with an idle hour now and then, is not news each time. (The daily judgement catches a
 * service that vanishes, on days.)
 */
export const HOURLY_DROP_ACTIVE_AT_LEAST = 0.99;

const withoutDrop = new WeakMap<CompiledRule, CompiledRule>();

/** The rule for an hour judged against `baseline`: without drop-to-zero unless the series is on in nearly every hour. */
export function hourlyRule(rule: CompiledRule, baseline: JudgedBaseline | null): CompiledRule {
  if (baseline === null || baseline.activeFraction >= HOURLY_DROP_ACTIVE_AT_LEAST || !Number.isFinite(rule.dropToZeroMinExpected)) return rule;
  return variant(withoutDrop, rule, (r) => ({ ...r, dropToZeroMinExpected: Number.POSITIVE_INFINITY }));
}

/** Samples an hour-of-week slot needs before its median stands for that hour (3 weeks of history). */
export const SLOT_SAMPLES_AT_LEAST = 3;

/**
 * What the 24 hours ending with `endHourMs` are expected to cost: the sum of the 24 hours'
 * hour-of-week medians from the hourly baseline (so a window that takes a weekday's office
 * hours into a Saturday expects them), spread as the daily totals spread. A slot seen fewer
 * than {@link SLOT_SAMPLES_AT_LEAST} times stands in with the series' overall hourly median;
 * an intermittent series (its shape is its schedule) is not judged until every slot of the
 * window is known: null.
 */
export function trailingBaseline(hourly: JudgedBaseline, daily: JudgedBaseline, endHourMs: number): JudgedBaseline | null {
  const profile = hourly.stats.seasonal;
  let expected = 0;
  for (let k = 0; k < 24; k += 1) {
    const slot = profile ? seasonalSlot(endHourMs - k * MS.hour, profile.layout) : -1;
    const known = profile !== undefined && (profile.count[slot] ?? 0) >= SLOT_SAMPLES_AT_LEAST;
    if (!known && hourly.activeFraction < INTERMITTENT_BELOW) return null;
    expected += known ? (profile.median[slot] as number) : hourly.stats.median;
  }
  const { windowStartMs, asOfMs, count, std, mad, meanAbsDev } = daily.stats;
  return { stats: { windowStartMs, asOfMs, count, mean: expected, std, median: expected, mad, meanAbsDev, min: Number.NaN, max: Number.NaN }, activeFraction: 1, active: null };
}

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
export function judgeValue(timestampMs: number, value: number, baseline: JudgedBaseline | null, rule: CompiledRule, asOfMs: number, window: 'full' | 'recent' = 'full', ewmaZ = Number.NaN): Judgement {
  const observation = { timestampMs, value, ewmaZ };
  if (baseline === null) return evaluate(observation, emptyBaseline(asOfMs), rule);
  if (window === 'recent') return evaluate(observation, baseline.recent ?? emptyBaseline(asOfMs), rule);
  if (baseline.activeFraction < INTERMITTENT_BELOW && baseline.active !== null) {
    if (value === 0) return evaluate(observation, baseline.stats, variant(whileOff, rule, (r) => ({ ...r, dropToZeroMinExpected: Number.POSITIVE_INFINITY, predicate: () => false })));
    return evaluate(observation, baseline.active, variant(whileActive, rule, (r) => ({ ...r, dropToZeroMinExpected: Number.POSITIVE_INFINITY })));
  }
  return evaluate(observation, baseline.stats, rule);
}

/**
 * The EWMA z of `value` for a rule that tests `ewmaZ` (NaN for any other rule), and `learn`,
 * which folds the value into the state once it is judged: the state is the series' own, in
 * order, so a replay computes the same figures. Until the EWMA has seen a half-life of
 * observations its z is NaN (fires nothing): one or two values say nothing about spread.
 */
export function ewmaOf(holder: { ewma?: EwmaState | null }, rule: CompiledRule, value: number): { z: number; learn: () => void } {
  if (!usesEwma(rule)) return { z: Number.NaN, learn: () => undefined };
  const state = holder.ewma ?? createEwmaState();
  return {
    z: state.count >= EWMA_HALF_LIFE_OBSERVATIONS ? ewmaZ(state, value) : Number.NaN,
    learn: () => {
      ewmaUpdate(state, value, EWMA_ALPHA);
      holder.ewma = state;
    },
  };
}
