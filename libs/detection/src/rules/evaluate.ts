import type { BaselineStats } from '../baseline/baseline-stats';
import { previousMonthValueAt } from '../baseline/compute-baseline';
import { explainExpression } from '../expression/threshold-expression.evaluator';
import { scoreObservation } from '../scoring/score-observation';
import { createScoreVector, SCORE_INDEX, type ScoreVector } from '../scoring/score-vector';
import { compileRule, type CompiledRule, type DetectionRule } from './detection-rule';
import { isAlerting, type Judgement, type Verdict } from './judgement';
import { severityFromImpact } from './severity';

export interface Observation {
  readonly timestampMs: number;
  readonly value: number;
  /**
   * The value one calendar month earlier at the same instant, when the caller knows it better
   * than `baseline.previousMonth` (streaming detectors keep their own history). NaN = unknown.
   */
  readonly previousMonthValue?: number;
  /** The observation's EWMA z, from state the caller keeps per series (NaN or absent = unknown). */
  readonly ewmaZ?: number;
}

const I = SCORE_INDEX;

/** Where a streaming detector finds last month's value; asked only when the expression fires. */
export interface PreviousMonthSource {
  valueOneMonthBefore(timestampMs: number): number;
}

/**
 * The allocation-free core of a judgement: fills `scores` and returns the verdict. Order of
 * decisions: first-seen, cold start, zero-inflated off hour, drop-to-zero, expression,
 * recurring-charge suppression.
 * `previousMonth` is the value at the same instant last month (NaN = unknown) or a source
 * that is consulted only when the expression has fired.
 */
export function judgeObservation(
  timestampMs: number,
  value: number,
  baseline: BaselineStats,
  rule: CompiledRule,
  scores: ScoreVector,
  previousMonth: number | PreviousMonthSource,
): Verdict {
  scoreObservation(timestampMs, value, baseline, rule.expected, rule.scaleFloor, scores);
  const noCostHistory = baseline.count === 0 || (baseline.mean === 0 && baseline.meanAbsDev === 0);
  if (noCostHistory && value > 0 && value >= rule.firstSeenMin) return 'first-seen';
  if (baseline.count < rule.minHistory) return 'cold-start';
  // Zero-inflated: a series with off hours in its history is judged on/off — an off hour, or an
  // on hour within the range it has already shown, is normal; only a new record is judged further.
  if (rule.zeroInflated && baseline.min <= 0 && (value <= rule.dropToZeroAtMost || value <= baseline.max)) return 'normal';
  const expected = scores[I.expected] as number;
  if (value <= rule.dropToZeroAtMost && expected >= rule.dropToZeroMinExpected) return 'drop-to-zero';
  if (!rule.predicate(scores)) return 'normal';
  if (rule.recurringTolerance < 0) return 'anomaly';
  const previousMonthValue = typeof previousMonth === 'number' ? previousMonth : previousMonth.valueOneMonthBefore(timestampMs);
  if (Number.isFinite(previousMonthValue)) {
    const spread = rule.recurringTolerance * Math.max(Math.abs(previousMonthValue), Math.abs(value));
    if (Math.abs(value - previousMonthValue) <= spread) return 'recurring';
  }
  return 'anomaly';
}

const compiledRules = new WeakMap<DetectionRule, CompiledRule>();
/** Scratch scores for `evaluate`: it is synchronous and copies what it needs into the judgement. */
const scratchScores = createScoreVector();

/**
 * Stateless judgement of one observation against a precomputed baseline — what the detector
 * service calls for each hourly snapshot with the baseline as of the previous day. Pass a
 * `CompiledRule` on hot paths; a plain `DetectionRule` is compiled once and cached.
 */
export function evaluate(observation: Observation, baseline: BaselineStats, rule: DetectionRule | CompiledRule): Judgement {
  const compiled = 'predicate' in rule ? rule : compiledFor(rule);
  const scores = scratchScores;
  scores[I.ewmaZ] = observation.ewmaZ ?? Number.NaN;
  const previousMonthValue = observation.previousMonthValue ?? previousMonthValueAt(baseline, observation.timestampMs);
  const verdict = judgeObservation(observation.timestampMs, observation.value, baseline, compiled, scores, previousMonthValue);
  return toJudgement(observation.timestampMs, verdict, scores, baseline, compiled);
}

/** Builds the full judgement from a verdict and the scores `judgeObservation` filled in. */
export function toJudgement(
  timestampMs: number,
  verdict: Verdict,
  scores: ScoreVector,
  baseline: BaselineStats,
  rule: CompiledRule,
): Judgement {
  const anomalous = isAlerting(verdict);
  const delta = scores[I.delta] as number;
  let firedBy: readonly string[] = [];
  let ruleText = `${rule.name}: ${rule.expressionText}`;
  if (verdict === 'anomaly' || verdict === 'recurring') firedBy = explainExpression(rule.expression, scores);
  else if (verdict === 'drop-to-zero' || verdict === 'first-seen' || verdict === 'cold-start') ruleText = `${rule.name}: ${verdict}`;
  return {
    timestampMs,
    anomalous,
    verdict,
    observed: scores[I.observed] as number,
    expected: scores[I.expected] as number,
    delta,
    relDelta: scores[I.relDelta] as number,
    z: scores[I.z] as number,
    ratio: scores[I.ratio] as number,
    robustZ: scores[I.robustZ] as number,
    seasonalZ: scores[I.seasonalZ] as number,
    rule: ruleText,
    firedBy,
    severity: anomalous ? severityFromImpact(delta, rule.severity) : null,
    baselineWindow: { startMs: baseline.windowStartMs, endMs: baseline.asOfMs },
    baselineCount: baseline.count,
  };
}

function compiledFor(rule: DetectionRule): CompiledRule {
  let compiled = compiledRules.get(rule);
  if (compiled === undefined) {
    compiled = compileRule(rule);
    compiledRules.set(rule, compiled);
  }
  return compiled;
}
