import { atLeast, compareSeverity, isEscalation, isSeverity } from './severity';

describe('severity ordering', () => {
  it('orders info < warning < critical', () => {
    expect(['critical', 'info', 'warning'].sort((a, b) => compareSeverity(a as never, b as never))).toEqual(['info', 'warning', 'critical']);
  });

  it.each([
    ['info', 'warning', true],
    ['warning', 'critical', true],
    ['info', 'critical', true],
    ['warning', 'warning', false],
    ['critical', 'warning', false],
  ] as const)('%s → %s is an escalation: %s', (from, to, expected) => {
    expect(isEscalation(from, to)).toBe(expected);
  });

  it('atLeast includes the threshold itself', () => {
    expect(atLeast('critical', 'critical')).toBe(true);
    expect(atLeast('warning', 'critical')).toBe(false);
    expect(atLeast('critical', 'info')).toBe(true);
  });

  it('recognises only the contract severities', () => {
    expect(isSeverity('warning')).toBe(true);
    expect(isSeverity('fatal')).toBe(false);
  });
});
