import { createScoreVector, SCORE_INDEX, type ScoreName } from '../scoring/score-vector';
import { compileExpression, explainExpression } from './threshold-expression.evaluator';
import { parseThresholdExpression } from './threshold-expression.parser';

function scores(values: Partial<Record<ScoreName, number>>): Float64Array {
  const vector = createScoreVector();
  for (const [name, value] of Object.entries(values)) vector[SCORE_INDEX[name as ScoreName]] = value;
  return vector;
}

describe('threshold expression evaluation', () => {
  const rule = parseThresholdExpression('(z > 3 OR ratio > 2) AND absDelta >= 10');
  const predicate = compileExpression(rule);

  it('fires only when a branch of the OR and the impact floor both hold', () => {
    expect(predicate(scores({ z: 4, ratio: 1.5, absDelta: 12 }))).toBe(true);
    expect(predicate(scores({ z: 1, ratio: 2.5, absDelta: 12 }))).toBe(true);
    expect(predicate(scores({ z: 4, ratio: 3, absDelta: 9.99 }))).toBe(false);
    expect(predicate(scores({ z: 3, ratio: 2, absDelta: 100 }))).toBe(false);
  });

  it('treats a missing (NaN) score as never satisfying a comparison, whatever the operator', () => {
    expect(compileExpression(parseThresholdExpression('hst > 0.5'))(scores({}))).toBe(false);
    expect(compileExpression(parseThresholdExpression('hst <= 0.5'))(scores({}))).toBe(false);
    expect(compileExpression(parseThresholdExpression('NOT hst > 0.5'))(scores({}))).toBe(true);
  });

  it('compares magnitudes with abs()', () => {
    const twoSided = compileExpression(parseThresholdExpression('abs(robustZ) > 4'));
    expect(twoSided(scores({ robustZ: -5 }))).toBe(true);
    expect(twoSided(scores({ robustZ: 3.9 }))).toBe(false);
  });

  it('handles ±∞ scores (zero-spread baselines)', () => {
    expect(predicate(scores({ z: Number.POSITIVE_INFINITY, ratio: 1, absDelta: 50 }))).toBe(true);
    expect(compileExpression(parseThresholdExpression('z > 3'))(scores({ z: Number.NEGATIVE_INFINITY }))).toBe(false);
  });

  it('evaluates n-ary AND / OR', () => {
    const all = compileExpression(parseThresholdExpression('z > 1 AND ratio > 1 AND robustZ > 1'));
    const any = compileExpression(parseThresholdExpression('z > 1 OR ratio > 1 OR robustZ > 1'));
    expect(all(scores({ z: 2, ratio: 2, robustZ: 2 }))).toBe(true);
    expect(all(scores({ z: 2, ratio: 2, robustZ: 0 }))).toBe(false);
    expect(any(scores({ z: 0, ratio: 0, robustZ: 2 }))).toBe(true);
    expect(any(scores({ z: 0, ratio: 0, robustZ: 0 }))).toBe(false);
  });

  it('explains which comparisons fired', () => {
    expect(explainExpression(rule, scores({ z: 4, ratio: 1.5, absDelta: 12 }))).toEqual(['z > 3', 'absDelta >= 10']);
    expect(explainExpression(rule, scores({ z: 4, ratio: 2.5, absDelta: 12 }))).toEqual(['z > 3', 'ratio > 2', 'absDelta >= 10']);
    expect(explainExpression(rule, scores({ z: 4, ratio: 2.5, absDelta: 1 }))).toEqual([]);
    expect(explainExpression(parseThresholdExpression('NOT ratio > 2'), scores({ ratio: 1 }))).toEqual(['NOT (ratio > 2)']);
  });
});
