import type { ScoreName } from '../scoring/score-vector';
import type { ThresholdExpression } from './threshold-expression';

/** The score names an expression reads, to switch on only the scorers it needs. */
export function scoresUsed(expression: ThresholdExpression, into = new Set<ScoreName>()): Set<ScoreName> {
  if ('score' in expression) into.add(expression.score);
  else if ('not' in expression) scoresUsed(expression.not, into);
  else for (const term of 'all' in expression ? expression.all : expression.any) scoresUsed(term, into);
  return into;
}
