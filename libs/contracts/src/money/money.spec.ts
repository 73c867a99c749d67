import { MoneyFormatError, canonicalAmount, fromScaled, sumAmounts, toScaled } from './money';

describe('canonicalAmount', () => {
  it.each([
    ['1.50', '1.5'],
    ['1.5E-10', '0.00000000015'],
    ['-0.000', '0'],
    [12.25, '12.25'],
    ['  7 ', '7'],
    ['1234567890123456789', null],
  ])('%p → %p', (input, expected) => {
    if (expected === null) expect(() => canonicalAmount(input)).toThrow(MoneyFormatError);
    else expect(canonicalAmount(input)).toBe(expected);
  });

  it('refuses to round away digits', () => {
    expect(() => canonicalAmount('0.0000000000001')).toThrow(/more than 12 fractional digits/);
    expect(() => canonicalAmount('abc')).toThrow(/not a number/);
  });
});

describe('exact sums', () => {
  it('adds what floats cannot', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.3');
    expect(sumAmounts(['0.0000000001', '0.0000000001', '99999999999.9999999998'])).toBe('100000000000');
  });

  it('handles negatives (credits) and a zero sum', () => {
    expect(sumAmounts(['10.5', '-10.5'])).toBe('0');
    expect(sumAmounts(['1', '-3.25'])).toBe('-2.25');
    expect(sumAmounts([])).toBe('0');
  });

  it('round-trips scaled values beyond 2^53', () => {
    const big = '900719925474099.123456789012';
    expect(fromScaled(toScaled(big))).toBe(big);
    expect(fromScaled(toScaled('-0.5'))).toBe('-0.5');
  });
});
