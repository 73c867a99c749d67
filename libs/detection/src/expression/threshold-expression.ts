import type { ScoreName } from '../scoring/score-vector';

/**
 * Threshold expressions: AND/OR/NOT trees over comparisons of named scores with constants.
 * This is the typed object form (what configuration files and code build); the string form
 * `(z > 3 OR ratio > 2) AND absDelta >= 10` parses into it (see threshold-expression.parser.ts).
 */
export type ComparisonOperator = '>' | '>=' | '<' | '<=';

export interface ScoreComparison {
  readonly score: ScoreName;
  readonly op: ComparisonOperator;
  readonly value: number;
  /** Compare |score| instead of the signed score (two-sided tests: `abs(robustZ) > 4`). */
  readonly abs?: boolean;
}

export interface AllOf {
  readonly all: readonly ThresholdExpression[];
}

export interface AnyOf {
  readonly any: readonly ThresholdExpression[];
}

export interface NotOf {
  readonly not: ThresholdExpression;
}

export type ThresholdExpression = ScoreComparison | AllOf | AnyOf | NotOf;

export function isComparison(expression: ThresholdExpression): expression is ScoreComparison {
  return 'score' in expression;
}

/** Canonical string form; parsing it gives back an equal tree. */
export function formatExpression(expression: ThresholdExpression): string {
  return format(expression, 'top');
}

export function formatComparison(comparison: ScoreComparison): string {
  const operand = comparison.abs === true ? `abs(${comparison.score})` : comparison.score;
  return `${operand} ${comparison.op} ${formatNumber(comparison.value)}`;
}

type Context = 'top' | 'and' | 'or' | 'not';

function format(expression: ThresholdExpression, context: Context): string {
  if (isComparison(expression)) return formatComparison(expression);
  if ('not' in expression) return `NOT ${format(expression.not, 'not')}`;
  if ('all' in expression) {
    const text = expression.all.map((e) => format(e, 'and')).join(' AND ');
    return context === 'not' && expression.all.length > 1 ? `(${text})` : text;
  }
  const text = expression.any.map((e) => format(e, 'or')).join(' OR ');
  return (context === 'and' || context === 'not') && expression.any.length > 1 ? `(${text})` : text;
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}
