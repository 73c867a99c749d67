import { escapeParamValue, formatRfc5424, frameOctetCounting, syslogPriority, type SyslogMessage } from './rfc5424';

const base: SyslogMessage = {
  facility: 'local0',
  severity: 'warning',
  timestamp: new Date('2026-11-01T03:04:05.678Z'),
  hostname: 'notifier-1',
  appName: 'costwatch',
  procId: '4242',
  msgId: 'BILLING_ANOMALY',
  structuredData: [{ id: 'costwatch@32473', params: { service: 'compute', z: 7.25, ratio: null, note: undefined } }],
  message: 'BILLING_ANOMALY firing cost of compute tripled',
};

describe('formatRfc5424', () => {
  it('writes PRI, version, timestamp, host, app, procid, msgid, structured data and message', () => {
    expect(formatRfc5424(base)).toBe(
      '<132>1 2026-11-01T03:04:05.678Z notifier-1 costwatch 4242 BILLING_ANOMALY [costwatch@32473 service="compute" z="7.25"] BILLING_ANOMALY firing cost of compute tripled',
    );
  });

  it.each([
    ['kern', 'emergency', 0],
    ['user', 'notice', 13],
    ['local0', 'critical', 130],
    ['local7', 'debug', 191],
  ] as const)('PRI of %s.%s is %i', (facility, severity, pri) => {
    expect(syslogPriority(facility, severity)).toBe(pri);
  });

  it('escapes ", \\ and ] in parameter values (RFC 5424 §6.3.3)', () => {
    expect(escapeParamValue('a "quoted" \\path] end')).toBe('a \\"quoted\\" \\\\path\\] end');
    const line = formatRfc5424({ ...base, structuredData: [{ id: 'x@1', params: { serviceName: 'VM "large" [gpu]' } }] });
    expect(line).toContain('[x@1 serviceName="VM \\"large\\" [gpu\\]"]');
  });

  it('uses NILVALUE for empty header fields and no structured data', () => {
    expect(formatRfc5424({ ...base, hostname: '', procId: '', structuredData: [] })).toBe(
      '<132>1 2026-11-01T03:04:05.678Z - costwatch - BILLING_ANOMALY - BILLING_ANOMALY firing cost of compute tripled',
    );
  });

  it('keeps header fields printable ASCII and within their length limits', () => {
    const line = formatRfc5424({ ...base, hostname: 'host name\u00e9', msgId: 'M'.repeat(40) });
    expect(line.split(' ')[2]).toBe('host_name_');
    expect(line.split(' ')[5]).toBe('M'.repeat(32));
  });

  it('sanitises parameter names', () => {
    expect(formatRfc5424({ ...base, structuredData: [{ id: 'a b', params: { 'x=y': '1' } }] })).toContain('[a_b x_y="1"]');
  });

  it('prefixes a UTF-8 message with a BOM and keeps it on one line', () => {
    const line = formatRfc5424({ ...base, structuredData: [], message: 'BILLING_ANOMALY 가상머신\nsecond line' });
    expect(line.endsWith(' \uFEFFBILLING_ANOMALY 가상머신 second line')).toBe(true);
    expect(formatRfc5424({ ...base, message: 'plain' }).includes('\uFEFF')).toBe(false);
  });

  it('omits the trailing space when there is no message', () => {
    expect(formatRfc5424({ ...base, structuredData: [], message: '' }).endsWith('BILLING_ANOMALY -')).toBe(true);
  });
});

describe('frameOctetCounting (RFC 6587)', () => {
  it('prefixes the length in bytes, not characters', () => {
    expect(frameOctetCounting('abc').toString()).toBe('3 abc');
    const framed = frameOctetCounting('가');
    expect(framed.toString()).toBe('3 가');
  });
});
