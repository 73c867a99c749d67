import { dedup, type LastNotice } from './dedup';

const HOUR = 3_600_000;
const firing = (patch: Partial<LastNotice> = {}): LastNotice => ({ kind: 'firing', state: 'firing', severity: 'warning', anomalyId: 'a1', at: 0, ...patch });
const event = (state: 'firing' | 'resolved', severity: 'info' | 'warning' | 'critical' = 'warning', anomalyId = 'a1') => ({ state, severity, anomalyId });

describe('dedup', () => {
  it('announces a first firing', () => {
    expect(dedup(undefined, event('firing'), 0, HOUR)).toBe('firing');
  });

  it('is quiet about the same firing anomaly within the repeat interval', () => {
    expect(dedup(firing(), event('firing'), HOUR - 1, HOUR)).toBe('duplicate');
  });

  it('reminds once the repeat interval has passed', () => {
    expect(dedup(firing(), event('firing'), HOUR, HOUR)).toBe('repeat');
  });

  it('re-notifies when severity rises, not when it falls', () => {
    expect(dedup(firing(), event('firing', 'critical'), 1, HOUR)).toBe('escalated');
    expect(dedup(firing({ severity: 'critical' }), event('firing', 'warning'), 1, HOUR)).toBe('duplicate');
  });

  it('a different anomaly on the same stream is new', () => {
    expect(dedup(firing(), event('firing', 'warning', 'a2'), 1, HOUR)).toBe('firing');
  });

  it('a firing after a resolution is new', () => {
    expect(dedup(firing({ kind: 'resolved', state: 'resolved' }), event('firing'), 1, HOUR)).toBe('firing');
  });

  it('resolves only what was announced firing', () => {
    expect(dedup(firing(), event('resolved'), 1, HOUR)).toBe('resolved');
    expect(dedup(firing({ kind: 'flapping' }), event('resolved'), 1, HOUR)).toBe('resolved');
    expect(dedup(undefined, event('resolved'), 1, HOUR)).toBe('duplicate');
    expect(dedup(firing({ kind: 'resolved', state: 'resolved' }), event('resolved'), 1, HOUR)).toBe('duplicate');
  });
});
