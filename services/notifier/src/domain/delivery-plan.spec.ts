import { holdsPaging, planDelivery, type ChannelMemory, type ChannelTarget, type QuietPolicy } from './delivery-plan';
import { parseQuietHours } from './quiet-hours';

const targets: ChannelTarget[] = [
  { key: 'syslog', kind: 'syslog' },
  { key: 'am_a', kind: 'alertmanager' },
  { key: 'am_b', kind: 'alertmanager' },
  { key: 'webhook', kind: 'webhook' },
];
const firingMemory: ChannelMemory = { noticeId: 'n1', state: 'firing', severity: 'warning', at: 0 };

describe('planDelivery', () => {
  it('sends a firing notice everywhere', () => {
    expect(planDelivery('firing', targets, {}, false)).toEqual({ syslog: 'pending', am_a: 'pending', am_b: 'pending', webhook: 'pending' });
  });

  it('in quiet hours holds the paging destinations but still writes syslog', () => {
    expect(planDelivery('escalated', targets, {}, true)).toEqual({ syslog: 'pending', am_a: 'held', am_b: 'held', webhook: 'held' });
  });

  it('resolves only where the firing went', () => {
    const delivered = { syslog: firingMemory, am_a: firingMemory, am_b: { ...firingMemory, state: 'resolved' as const } };
    expect(planDelivery('resolved', targets, delivered, true)).toEqual({ syslog: 'pending', am_a: 'pending' });
  });
});

describe('holdsPaging', () => {
  const quiet: QuietPolicy = { schedule: { timeZone: 'UTC', hours: parseQuietHours('22:00-07:00'), days: new Set() } };
  const night = Date.parse('2026-11-02T23:00:00Z');
  const day = Date.parse('2026-11-02T12:00:00Z');

  it('holds firing-type notices at night only', () => {
    expect(holdsPaging('firing', 'warning', quiet, night)).toBe(true);
    expect(holdsPaging('flapping', 'warning', quiet, night)).toBe(true);
    expect(holdsPaging('firing', 'warning', quiet, day)).toBe(false);
  });

  it('never holds a resolution', () => {
    expect(holdsPaging('resolved', 'critical', quiet, night)).toBe(false);
  });

  it('lets severities at or above the bypass through', () => {
    const bypass: QuietPolicy = { ...quiet, bypassSeverity: 'critical' };
    expect(holdsPaging('firing', 'critical', bypass, night)).toBe(false);
    expect(holdsPaging('firing', 'warning', bypass, night)).toBe(true);
  });
});
