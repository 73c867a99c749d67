import { anomalyFixture } from '../testing/anomaly.fixture';
import type { Notice } from '../domain/notice';
import { ENDS_AFTER_RESENDS, alertmanagerKey, alertsFor, type AlertmanagerSettings } from './alertmanager.channel';

const now = Date.parse('2026-11-01T05:00:00Z');
const settings: AlertmanagerSettings = {
  url: 'http://am:9093',
  resendIntervalMs: 60_000,
  timeoutMs: 1_000,
  dashboardUrl: 'https://grafana.example/d/costwatch?orgId=1',
  runbookUrl: 'https://runbooks.example/billing-anomaly',
};
const notice = (patch: Partial<Notice> = {}): Notice => ({
  noticeId: 'fp:e1',
  fingerprint: 'fp',
  kind: 'firing',
  flapEnded: false,
  severity: 'warning',
  anomaly: anomalyFixture(),
  createdAt: now,
  ...patch,
});

describe('alertsFor', () => {
  it('a firing alert: identity labels, annotations with numbers and links, endsAt a few resends ahead', () => {
    const [alert, ...rest] = alertsFor(notice(), undefined, now, settings);
    expect(rest).toHaveLength(0);
    expect(alert?.labels).toEqual({ alertname: 'BillingCostAnomaly', domain: 'dom-1', project: 'proj-1', service: 'compute', rule: 'zscore', granularity: 'hourly', incident: 'dom-1@2026-11-01', severity: 'warning' });
    expect(alert?.annotations).toMatchObject({
      observed: '120.5',
      expected: '40',
      z: '7.25',
      ratio: '3.0125',
      service_name: 'Virtual Machine',
      runbook_url: 'https://runbooks.example/billing-anomaly',
      dashboard_url: 'https://grafana.example/d/costwatch?orgId=1&var-domain=dom-1&var-project=proj-1&var-service=compute',
      flapping: 'false',
    });
    expect(alert?.annotations['summary']).toContain('Virtual Machine');
    expect(alert?.annotations['description']).toContain('ratio 3.01, z 7.25');
    expect(alert?.startsAt).toBe('2026-11-01T03:00:00.000Z');
    expect(alert?.endsAt).toBe(new Date(now + ENDS_AFTER_RESENDS * 60_000).toISOString());
    expect(alert?.generatorURL).toBe(alert?.annotations['dashboard_url']);
  });

  it('a resolution ends the alert now, with the severity the receiver has', () => {
    const previous = { noticeId: 'n0', state: 'firing' as const, severity: 'critical' as const, at: now - 1 };
    const [alert] = alertsFor(notice({ kind: 'resolved', severity: 'info' }), previous, now, settings);
    expect(alert?.endsAt).toBe(new Date(now).toISOString());
    expect(alert?.labels.severity).toBe('critical');
  });

  it('an escalation ends the old-severity alert (severity is part of Alertmanager identity)', () => {
    const previous = { noticeId: 'n0', state: 'firing' as const, severity: 'warning' as const, at: now - 1 };
    const alerts = alertsFor(notice({ kind: 'escalated', severity: 'critical' }), previous, now, settings);
    expect(alerts.map((a) => [a.labels.severity, a.endsAt])).toEqual([
      ['warning', new Date(now).toISOString()],
      ['critical', new Date(now + ENDS_AFTER_RESENDS * 60_000).toISOString()],
    ]);
  });

  it('never sends endsAt before startsAt, even for a window in the future', () => {
    const future = anomalyFixture({ window: { start: '2026-11-01T06:00:00Z', end: '2026-11-01T07:00:00Z' } });
    const [alert] = alertsFor(notice({ kind: 'resolved', anomaly: future }), undefined, now, settings);
    expect(Date.parse(alert!.endsAt)).toBeGreaterThanOrEqual(Date.parse(alert!.startsAt));
  });

  it('z and ratio may be missing', () => {
    const [alert] = alertsFor(notice({ anomaly: anomalyFixture({ z: null, ratio: null }) }), undefined, now, { ...settings, dashboardUrl: undefined, runbookUrl: undefined });
    expect(alert?.annotations).toMatchObject({ z: '', ratio: '' });
    expect(alert?.annotations['dashboard_url']).toBeUndefined();
    expect(alert?.generatorURL).toBeUndefined();
  });

  it('flapping alerts say so', () => {
    expect(alertsFor(notice({ kind: 'flapping' }), undefined, now, settings)[0]?.annotations['flapping']).toBe('true');
  });
});

describe('alertmanagerKey', () => {
  it('is stable, distinct per URL and safe as a MongoDB field name', () => {
    expect(alertmanagerKey('http://a:9093')).toBe(alertmanagerKey('http://a:9093/'));
    expect(alertmanagerKey('http://a:9093')).not.toBe(alertmanagerKey('http://b:9093'));
    expect(alertmanagerKey('http://a:9093')).toMatch(/^am_[0-9a-f]{12}$/);
  });
});
