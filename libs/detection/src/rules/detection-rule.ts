import { compileExpression, type ScorePredicate } from '../expression/threshold-expression.evaluator';
import { formatExpression, type ThresholdExpression } from '../expression/threshold-expression';
import { parseThresholdExpression } from '../expression/threshold-expression.parser';
import { NO_SCALE_FLOOR, type ExpectedValue, type ScaleFloor } from '../scoring/score-observation';
import { DEFAULT_SEVERITY_LEVELS, type SeverityLevels } from './severity';

/**
 * A detection rule: the threshold expression plus the guards around it. Plain data, so it can
 * live in configuration (per series or global); `compileRule` turns it into the fast form.
 */
export interface DetectionRule {
  /** Identifies the rule in judgements and alerts (e.g. "seed"). */
  readonly name: string;
  /** Typed tree or the string form, e.g. `(z > 3 OR ratio > 2) AND absDelta >= 10`. */
  readonly expression: ThresholdExpression | string;
  /** The baseline statistic deltas are measured from. Default: mean (the seed rule's). */
  readonly expected?: ExpectedValue;
  /** Cold start: fewer baseline observations than this → never anomalous (except first-seen). Default 1. */
  readonly minHistory?: number;
  readonly scaleFloor?: ScaleFloor;
  /**
   * A series with no cost in its baseline (no observations, or all zero) that now costs at least
   * `minObserved` is reported as first-seen. Null disables it. Default: minObserved 0 (any cost).
   */
  readonly firstSeen?: { readonly minObserved: number } | null;
  /**
   * A series whose expected cost is at least `minExpected` and which now costs at most
   * `atMost` is reported as drop-to-zero, whatever the expression says. Null (default) disables.
   */
  readonly dropToZero?: { readonly minExpected: number; readonly atMost?: number } | null;
  /**
   * When the expression fires but the value is within `tolerance` (a fraction) of the value at
   * the same instant one calendar month earlier, it is a recurring charge (month-start
   * purchases): verdict "recurring", not anomalous. Null (default) disables.
   */
  readonly recurring?: { readonly tolerance: number } | null;
  /**
   * Zero-inflated series: when the baseline already holds zero-cost hours (its minimum is at
   * most 0 — intermittent jobs, batch runs, spot interruptions), an hour at or below the
   * drop-to-zero level is one of the series' normal off hours: verdict "normal", neither
   * drop-to-zero nor the expression. A job that stops switching off still fires (a cost where
   * the slot expects none). Default false.
   */
  readonly zeroInflated?: boolean;
  readonly severity?: SeverityLevels;
}

export interface CompiledRule {
  readonly name: string;
  readonly expressionText: string;
  readonly expression: ThresholdExpression;
  readonly predicate: ScorePredicate;
  readonly expected: ExpectedValue;
  readonly minHistory: number;
  readonly scaleFloor: ScaleFloor;
  readonly firstSeenMin: number;
  readonly dropToZeroMinExpected: number;
  readonly dropToZeroAtMost: number;
  readonly recurringTolerance: number;
  readonly zeroInflated: boolean;
  readonly severity: SeverityLevels;
}

/** The seed rule: z > 3 OR ratio > 2 against the mean/std of the trailing 30 days. */
export const SEED_RULE: DetectionRule = { name: 'seed', expression: 'z > 3 OR ratio > 2', expected: 'mean' };

export function compileRule(rule: DetectionRule): CompiledRule {
  const expression = typeof rule.expression === 'string' ? parseThresholdExpression(rule.expression) : rule.expression;
  return {
    name: rule.name,
    expressionText: formatExpression(expression),
    expression,
    predicate: compileExpression(expression),
    expected: rule.expected ?? 'mean',
    minHistory: rule.minHistory ?? 1,
    scaleFloor: rule.scaleFloor ?? NO_SCALE_FLOOR,
    firstSeenMin: rule.firstSeen === null ? Number.POSITIVE_INFINITY : (rule.firstSeen?.minObserved ?? 0),
    dropToZeroMinExpected: rule.dropToZero ? rule.dropToZero.minExpected : Number.POSITIVE_INFINITY,
    dropToZeroAtMost: rule.dropToZero?.atMost ?? 0,
    recurringTolerance: rule.recurring ? rule.recurring.tolerance : -1,
    zeroInflated: rule.zeroInflated ?? false,
    severity: rule.severity ?? DEFAULT_SEVERITY_LEVELS,
  };
}
