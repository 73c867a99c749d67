import { anomalyFixture } from '../testing/anomaly.fixture';
import type { Notice } from '../domain/notice';
import { slackPayload } from './slack.channel';
import { webhookPayload } from './webhook.channel';

const now = Date.parse('2026-11-01T05:00:00Z');
const notice: Notice = {
  noticeId: 'fp:e1',
  fingerprint: 'fp',
  kind: 'escalated',
  flapEnded: false,
  severity: 'critical',
  anomaly: anomalyFixture({ severity: 'critical', series: { serviceName: 'R&D <GPU>' } }),
  createdAt: now,
};

describe('webhook payload', () => {
  it('carries the decision, labels, links and the whole anomaly', () => {
    const body = webhookPayload(notice, { runbookUrl: 'https://rb.example/x' }, now);
    expect(body).toMatchObject({
      version: '1',
      noticeId: 'fp:e1',
      kind: 'escalated',
      status: 'firing',
      severity: 'critical',
      labels: { alertname: 'BillingCostAnomaly', service: 'compute', severity: 'critical' },
      links: { runbook: 'https://rb.example/x' },
      anomaly: { anomalyId: 'anom-1', observed: '120.5' },
      sentAt: '2026-11-01T05:00:00.000Z',
    });
    expect(body.summary).toContain('escalated to critical');
  });
});

describe('slack payload', () => {
  it('has a fallback text and escapes mrkdwn', () => {
    const body = slackPayload(notice, { dashboardUrl: 'https://g.example/d' });
    expect(body.text).toContain('R&amp;D &lt;GPU&gt;');
    expect(body.text.startsWith(':rotating_light:')).toBe(true);
    expect(JSON.stringify(body.blocks)).toContain('<https://g.example/d?var-domain=dom-1&var-project=proj-1&var-service=compute|Dashboard>');
  });
});
