import { anomalyFixture } from '../testing/anomaly.fixture';
import type { Notice } from '../domain/notice';
import { formatRfc5424 } from './rfc5424';
import { anomalySyslogMessage, dailyTotalSyslogMessage, type SyslogIdentity } from './syslog.channel';

const identity: SyslogIdentity = { facility: 'local0', hostname: 'h', appName: 'costwatch', procId: '1' };
const now = Date.parse('2026-11-01T05:00:00Z');
const notice = (patch: Partial<Notice> = {}): Notice => ({
  noticeId: 'fp:e1',
  fingerprint: 'fp',
  kind: 'firing',
  flapEnded: false,
  severity: 'critical',
  anomaly: anomalyFixture({ severity: 'critical' }),
  createdAt: now,
  ...patch,
});

describe('anomaly syslog lines', () => {
  it('a firing line has BILLING_ANOMALY (msgid and text), the service name and the anomaly fields', () => {
    const line = formatRfc5424(anomalySyslogMessage(notice({ correlationId: 'corr-9' }), identity, now));
    expect(line).toMatch(/^<130>1 2026-11-01T05:00:00.000Z h costwatch 1 BILLING_ANOMALY \[costwatch@32473 /);
    expect(line).toContain('serviceName="Virtual Machine"');
    expect(line).toContain('observed="120.5" expected="40" currency="USD" z="7.25" ratio="3.0125"');
    expect(line).toContain('correlationId="corr-9"');
    expect(line).toMatch(/\] BILLING_ANOMALY firing Cost anomaly \(critical\): Virtual Machine \(compute\) in project proj-1 \/ domain dom-1: 120.5 USD vs expected 40 USD$/);
  });

  it('a resolution line does not contain BILLING_ANOMALY, so keyword policies do not page on recovery', () => {
    const line = formatRfc5424(anomalySyslogMessage(notice({ kind: 'resolved', anomaly: anomalyFixture({ state: 'resolved' }) }), identity, now));
    expect(line).not.toContain('BILLING_ANOMALY');
    expect(line).toContain(' BILLING_RESOLVED ');
    expect(line).toContain('Virtual Machine');
    expect(line.startsWith('<133>1')).toBe(true); // local0.notice
  });

  it('a flapping notice is a BILLING_ANOMALY line that says so', () => {
    const line = formatRfc5424(anomalySyslogMessage(notice({ kind: 'flapping' }), identity, now));
    expect(line).toContain('kind="flapping"');
    expect(line).toMatch(/BILLING_ANOMALY flapping Cost anomaly flapping/);
  });
});

describe('daily total syslog lines', () => {
  it('contain BILLING_DAILY_TOTAL, the service and the exact amount', () => {
    const total = { date: '2026-11-01', domainId: 'd', projectId: 'p', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'KRW', amount: '1234567.000000001', recordCount: 24, revision: 1 };
    const line = formatRfc5424(dailyTotalSyslogMessage(total, identity, now, { eventId: 'ev' }));
    expect(line).toMatch(/^<134>1 .* BILLING_DAILY_TOTAL \[costwatch@32473 date="2026-11-01" /);
    expect(line).toContain('amount="1234567.000000001" currency="KRW" recordCount="24" eventId="ev"]');
    expect(line).toMatch(/BILLING_DAILY_TOTAL 2026-11-01 Virtual Machine \(compute\) in project p \/ domain d: 1234567.000000001 KRW from 24 records$/);
  });
});
