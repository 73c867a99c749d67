import { formatExpression, type ThresholdExpression } from './threshold-expression';
import { ExpressionSyntaxError, parseThresholdExpression } from './threshold-expression.parser';

describe('parseThresholdExpression', () => {
  it('parses the seed rule', () => {
    expect(parseThresholdExpression('z > 3 OR ratio > 2')).toEqual({
      any: [
        { score: 'z', op: '>', value: 3 },
        { score: 'ratio', op: '>', value: 2 },
      ],
    });
  });

  it('gives AND precedence over OR and honours parentheses', () => {
    expect(parseThresholdExpression('z > 3 OR ratio > 2 AND absDelta >= 10')).toEqual({
      any: [
        { score: 'z', op: '>', value: 3 },
        {
          all: [
            { score: 'ratio', op: '>', value: 2 },
            { score: 'absDelta', op: '>=', value: 10 },
          ],
        },
      ],
    });
    expect(parseThresholdExpression('(z > 3 OR ratio > 2) AND absDelta >= 10')).toEqual({
      all: [
        {
          any: [
            { score: 'z', op: '>', value: 3 },
            { score: 'ratio', op: '>', value: 2 },
          ],
        },
        { score: 'absDelta', op: '>=', value: 10 },
      ],
    });
  });

  it('accepts &&, ||, !, NOT and lower-case keywords', () => {
    const expected: ThresholdExpression = {
      all: [{ score: 'z', op: '>', value: 3 }, { not: { score: 'relDelta', op: '<', value: 0.1 } }],
    };
    expect(parseThresholdExpression('z > 3 && !relDelta < 0.1')).toEqual(expected);
    expect(parseThresholdExpression('z > 3 and not relDelta < 0.1')).toEqual(expected);
    expect(parseThresholdExpression('z>3||ratio>2')).toEqual(parseThresholdExpression('z > 3 OR ratio > 2'));
  });

  it('parses abs(), negative and exponent numbers, percentages and infinity', () => {
    expect(parseThresholdExpression('abs(robustZ) > 4.5')).toEqual({ score: 'robustZ', op: '>', value: 4.5, abs: true });
    expect(parseThresholdExpression('seasonalZ < -6')).toEqual({ score: 'seasonalZ', op: '<', value: -6 });
    expect(parseThresholdExpression('absDelta >= 1e3')).toEqual({ score: 'absDelta', op: '>=', value: 1000 });
    expect(parseThresholdExpression('relDelta >= 20%')).toEqual({ score: 'relDelta', op: '>=', value: 0.2 });
    expect(parseThresholdExpression('z >= inf')).toEqual({ score: 'z', op: '>=', value: Number.POSITIVE_INFINITY });
  });

  it('flips a comparison written number-first', () => {
    expect(parseThresholdExpression('3 < z')).toEqual({ score: 'z', op: '>', value: 3 });
    expect(parseThresholdExpression('10 >= absDelta')).toEqual({ score: 'absDelta', op: '<=', value: 10 });
  });

  it('rejects unknown scores, dangling operators and stray tokens with a position', () => {
    expect(() => parseThresholdExpression('zz > 3')).toThrow(/unknown score "zz"/);
    expect(() => parseThresholdExpression('z > 3 OR')).toThrow(/expected a score name but found end of expression/);
    expect(() => parseThresholdExpression('z > 3)')).toThrow(/unexpected "\)"/);
    expect(() => parseThresholdExpression('(z > 3')).toThrow(/expected "\)"/);
    expect(() => parseThresholdExpression('z = 3')).toThrow(ExpressionSyntaxError);
    expect(() => parseThresholdExpression('z > ratio')).toThrow(/expected a number/);
    expect(() => parseThresholdExpression('')).toThrow(/expected a score name/);
  });

  it('reports where the problem is', () => {
    let caught: unknown;
    try {
      parseThresholdExpression('z > 3 AND q > 1');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionSyntaxError);
    expect((caught as ExpressionSyntaxError).position).toBe(10);
  });

  it.each([
    'z > 3 OR ratio > 2',
    '(z > 3 OR ratio > 2) AND absDelta >= 10',
    'abs(seasonalZ) > 10 AND relDelta >= 0.5',
    'NOT (z > 3 AND ratio > 2)',
    'NOT z > 3 OR robustZ <= -4',
    'z > 3 AND (ratio > 2 OR (robustZ > 4 AND absDelta >= 1))',
  ])('formats back to an expression that parses to the same tree: %s', (text) => {
    const tree = parseThresholdExpression(text);
    expect(parseThresholdExpression(formatExpression(tree))).toEqual(tree);
  });

  it('formats the canonical text', () => {
    expect(formatExpression(parseThresholdExpression('(z>3 || ratio>2) && absDelta>=10'))).toBe(
      '(z > 3 OR ratio > 2) AND absDelta >= 10',
    );
  });
});
