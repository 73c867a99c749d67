import { SCORE_INDEX, type ScoreVector } from '../scoring/score-vector';
import {
  formatComparison,
  formatExpression,
  isComparison,
  type ScoreComparison,
  type ThresholdExpression,
} from './threshold-expression';

export type ScorePredicate = (scores: ScoreVector) => boolean;

/**
 * Compiles an expression into nested closures over the score vector: no tree walk or string
 * lookup per observation, which keeps rule evaluation in the tens of millions per second.
 */
export function compileExpression(expression: ThresholdExpression): ScorePredicate {
  if (isComparison(expression)) return compileComparison(expression);
  if ('not' in expression) {
    const inner = compileExpression(expression.not);
    return (scores) => !inner(scores);
  }
  if ('all' in expression) {
    const terms = expression.all.map(compileExpression);
    if (terms.length === 2) {
      const [a, b] = terms as [ScorePredicate, ScorePredicate];
      return (scores) => a(scores) && b(scores);
    }
    return (scores) => terms.every((term) => term(scores));
  }
  const terms = expression.any.map(compileExpression);
  if (terms.length === 2) {
    const [a, b] = terms as [ScorePredicate, ScorePredicate];
    return (scores) => a(scores) || b(scores);
  }
  return (scores) => terms.some((term) => term(scores));
}

function compileComparison({ score, op, value, abs }: ScoreComparison): ScorePredicate {
  const i = SCORE_INDEX[score];
  // NaN (a score the detector could not compute) fails every comparison, by JS semantics.
  if (abs === true) {
    switch (op) {
      case '>':
        return (s) => Math.abs(s[i] as number) > value;
      case '>=':
        return (s) => Math.abs(s[i] as number) >= value;
      case '<':
        return (s) => Math.abs(s[i] as number) < value;
      case '<=':
        return (s) => Math.abs(s[i] as number) <= value;
    }
  }
  switch (op) {
    case '>':
      return (s) => (s[i] as number) > value;
    case '>=':
      return (s) => (s[i] as number) >= value;
    case '<':
      return (s) => (s[i] as number) < value;
    case '<=':
      return (s) => (s[i] as number) <= value;
  }
}

/**
 * The comparisons that made a satisfied expression true, in source order — "which rule fired".
 * For OR only the satisfied branches are listed; for AND every term (all were needed). Returns
 * an empty list when the expression is false. NOT contributes its own text.
 */
export function explainExpression(expression: ThresholdExpression, scores: ScoreVector): string[] {
  const fired: string[] = [];
  collect(expression, scores, fired);
  return fired;
}

function collect(expression: ThresholdExpression, scores: ScoreVector, out: string[]): boolean {
  if (isComparison(expression)) {
    const holds = comparisonHolds(expression, scores);
    if (holds) out.push(formatComparison(expression));
    return holds;
  }
  if ('not' in expression) {
    const holds = !collect(expression.not, scores, []);
    if (holds) out.push(`NOT (${formatExpression(expression.not)})`);
    return holds;
  }
  const mark = out.length;
  if ('all' in expression) {
    for (const term of expression.all) {
      if (!collect(term, scores, out)) {
        out.length = mark;
        return false;
      }
    }
    return true;
  }
  let any = false;
  for (const term of expression.any) any = collect(term, scores, out) || any;
  return any;
}

function comparisonHolds({ score, op, value, abs }: ScoreComparison, scores: ScoreVector): boolean {
  const raw = scores[SCORE_INDEX[score]] as number;
  const x = abs === true ? Math.abs(raw) : raw;
  switch (op) {
    case '>':
      return x > value;
    case '>=':
      return x >= value;
    case '<':
      return x < value;
    case '<=':
      return x <= value;
  }
}
