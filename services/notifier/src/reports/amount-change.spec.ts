import { amountChange } from './amount-change';
import { formatAmount, formatDelta, formatPercent } from './amount-format';

describe('amountChange', () => {
  it('is exact where floats are not', () => {
    expect(0.3 - 0.1).not.toBe(0.2);
    expect(amountChange('0.3', '0.1')).toEqual({ current: '0.3', previous: '0.1', delta: '0.2', percent: '200.0' });
    expect(amountChange('1000000000000.000000000001', '1000000000000').delta).toBe('0.000000000001');
  });

  it('rounds the percentage half away from zero to one decimal', () => {
    expect(amountChange('4', '3').percent).toBe('33.3');
    expect(amountChange('5', '3').percent).toBe('66.7');
    expect(amountChange('1.0005', '1').percent).toBe('0.1'); // 0.05 % rounds up
    expect(amountChange('1.0004', '1').percent).toBe('0.0');
    expect(amountChange('0', '7.5').percent).toBe('-100.0');
    expect(amountChange('2', '3').percent).toBe('-33.3');
    expect(amountChange('1', '3').percent).toBe('-66.7');
  });

  it('has no percentage against nothing', () => {
    expect(amountChange('12.5', '0')).toEqual({ current: '12.5', previous: '0', delta: '12.5', percent: null });
    expect(amountChange('0', '0').percent).toBeNull();
  });

  it('measures credits (negative previous) against their magnitude', () => {
    expect(amountChange('-5', '-10')).toMatchObject({ delta: '5', percent: '50.0' });
  });
});

describe('amount display', () => {
  it('rounds half away from zero and groups thousands', () => {
    expect(formatAmount('1234567.891')).toBe('1,234,567.89');
    expect(formatAmount('0.005')).toBe('0.01');
    expect(formatAmount('-0.005')).toBe('-0.01');
    expect(formatAmount('-0.004')).toBe('0.00');
    expect(formatAmount('999.995')).toBe('1,000.00');
    expect(formatAmount('0.000000000001')).toBe('0.00');
  });

  it('signs changes and names a change from nothing', () => {
    expect(formatDelta('12.5')).toBe('+12.50');
    expect(formatDelta('-3')).toBe('-3.00');
    expect(formatDelta('0')).toBe('0.00');
    expect(formatPercent('12.3', '1')).toBe('+12.3 %');
    expect(formatPercent('-100.0', '0')).toBe('-100.0 %');
    expect(formatPercent('0.0', '1')).toBe('0.0 %');
    expect(formatPercent(null, '5')).toBe('new');
    expect(formatPercent(null, '0')).toBe('–');
  });
});
