import { untrustedTextReason } from './untrusted-text';

describe('untrustedTextReason', () => {
  it('accepts the names providers use', () => {
    for (const name of ['Amazon Elastic Compute Cloud - Compute', '가상 머신', '/subscriptions/5c3b2f0e-aaaa-4bbb-8ccc-1234567890ab', 'Svc "Pro"', '123456789012', 'a-b_c.d', 'x=1']) {
      expect(untrustedTextReason('ServiceName', name, 256)).toBeUndefined();
    }
  });

  it('refuses formula-like names, also after spaces and in full-width form', () => {
    for (const name of ['=HYPERLINK("http://evil.example","x")', '+1+cmd', '-2+3', '@SUM(A1)', '  =1+1', '\uFF1D1+1']) {
      expect(untrustedTextReason('ServiceName', name, 256)).toMatch(/^ServiceName ".*" starts like a spreadsheet formula \(=, \+, -, @\)$/);
    }
  });

  it('refuses control and bidi characters, naming the code point', () => {
    expect(untrustedTextReason('domainId', 'a\tb', 256)).toBe('domainId "a\\tb" contains the control character U+0009');
    expect(untrustedTextReason('domainId', 'red\u001b[31m', 256)).toMatch(/U\+001B$/);
    expect(untrustedTextReason('domainId', 'x\u202Etxt.exe', 256)).toMatch(/U\+202E$/);
    expect(untrustedTextReason('domainId', 'del\u007F', 256)).toMatch(/U\+007F$/);
  });

  it('refuses absurd lengths before looking further, and keeps its reason short', () => {
    const reason = untrustedTextReason('projectId', `=${'x'.repeat(100_000)}`, 128);
    expect(reason).toBe('projectId is 100001 characters long, more than 128');
    expect(untrustedTextReason('projectId', `a\u0000${'x'.repeat(100)}`, 128)?.length).toBeLessThan(120);
  });
});
