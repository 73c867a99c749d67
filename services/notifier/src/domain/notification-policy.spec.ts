import type { Anomaly } from '@costwatch/contracts';
import { anomalyFixture } from '../testing/anomaly.fixture';
import { decideOnEvent, decideOnTick, emptyMemory, type Decision, type NotificationPolicy, type SeriesMemory } from './notification-policy';
import { parseMatcher } from './silence';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-01T12:00:00Z');
const policy: NotificationPolicy = { repeatIntervalMs: 240 * MINUTE, flap: { windowMs: 60 * MINUTE, threshold: 4 }, silences: [] };

/** Feeds events through the policy the way the use case does, keeping the memory. */
class Stream {
  memory: SeriesMemory = emptyMemory();
  private seq = 0;

  constructor(private readonly p: NotificationPolicy = policy) {}

  /** Live by default: the anomaly's state changed (in event time) at `now`. */
  event(anomaly: Anomaly, now: number, eventId = `e${++this.seq}`, occurredAt = now): Decision {
    const decision = decideOnEvent(this.memory, { eventId, occurredAt, anomaly: liveAt(anomaly, now) }, now, this.p);
    this.memory = decision.memory;
    return decision;
  }

  tick(anomaly: Anomaly, now: number): Decision | undefined {
    const decision = decideOnTick(this.memory, anomaly, now, this.p);
    if (decision) this.memory = decision.memory;
    return decision;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The anomaly as the detector reports it live at `at`: firing from `at`, or resolved at `at`. */
function liveAt(anomaly: Anomaly, at: number): Anomaly {
  if (anomaly.window.start !== anomalyFixture().window.start) return anomaly;
  return { ...anomaly, window: anomaly.state === 'firing' ? { start: iso(at), end: iso(at + 60 * MINUTE) } : { start: iso(at - 60 * MINUTE), end: iso(at) } };
}

const outcome = (d: Decision | undefined) => (d === undefined ? 'nothing' : d.outcome === 'notify' ? d.kind : `suppressed:${d.reason}`);
const firing = (patch: Parameters<typeof anomalyFixture>[0] = {}) => anomalyFixture({ state: 'firing', ...patch });
const resolved = (patch: Parameters<typeof anomalyFixture>[0] = {}) => anomalyFixture({ state: 'resolved', ...patch });

describe('decideOnEvent', () => {
  it('announces a firing anomaly once, then its resolution once', () => {
    const s = new Stream();
    expect(outcome(s.event(firing(), T0))).toBe('firing');
    expect(outcome(s.event(firing(), T0 + MINUTE))).toBe('suppressed:duplicate');
    expect(outcome(s.event(resolved(), T0 + 2 * MINUTE))).toBe('resolved');
    expect(outcome(s.event(resolved(), T0 + 3 * MINUTE))).toBe('suppressed:duplicate');
  });

  it('treats a replayed event as a duplicate without touching the memory', () => {
    const s = new Stream();
    s.event(firing(), T0, 'evt-1');
    const before = s.memory;
    const replay = s.event(firing(), T0 + 5 * MINUTE, 'evt-1');
    expect(outcome(replay)).toBe('suppressed:duplicate');
    expect(replay.memory).toBe(before);
  });

  it('ignores an event older than the last one applied (out of order)', () => {
    const s = new Stream();
    s.event(firing(), T0, 'evt-2', T0);
    s.event(resolved(), T0 + MINUTE, 'evt-3', T0 + MINUTE);
    const late = s.event(firing(), T0 + 2 * MINUTE, 'evt-1', T0 - MINUTE);
    expect(outcome(late)).toBe('suppressed:duplicate');
    expect(s.memory.state).toBe('resolved');
  });

  it('re-notifies on escalation and after the repeat interval', () => {
    const s = new Stream();
    s.event(firing({ severity: 'info' }), T0);
    expect(outcome(s.event(firing({ severity: 'warning' }), T0 + MINUTE))).toBe('escalated');
    expect(outcome(s.event(firing({ severity: 'info' }), T0 + 2 * MINUTE))).toBe('suppressed:duplicate');
    expect(outcome(s.event(firing({ severity: 'critical' }), T0 + 3 * MINUTE))).toBe('escalated');
    expect(outcome(s.event(firing({ severity: 'critical' }), T0 + 3 * MINUTE + policy.repeatIntervalMs))).toBe('repeat');
  });

  it('a never-announced resolution is a duplicate', () => {
    expect(outcome(new Stream().event(resolved(), T0))).toBe('suppressed:duplicate');
  });

  it('six flips within the window give one flapping notice, not one per flip', () => {
    const s = new Stream();
    const outcomes = [firing(), resolved(), firing(), resolved(), firing(), resolved()].map((a, i) => outcome(s.event(a, T0 + i * MINUTE)));
    expect(outcomes).toEqual(['firing', 'resolved', 'firing', 'flapping', 'suppressed:flapping', 'suppressed:flapping']);
    expect(s.memory.flapping).toBe(true);
  });

  it('the flapping notice is as severe as the last firing announced, even when it starts on a resolution', () => {
    const s = new Stream();
    s.event(firing({ severity: 'info' }), T0);
    s.event(resolved({ severity: 'info' }), T0 + 1);
    s.event(firing({ severity: 'critical' }), T0 + 2);
    const flap = s.event(resolved({ severity: 'info' }), T0 + 3);
    expect(flap).toMatchObject({ outcome: 'notify', kind: 'flapping', severity: 'critical' });
  });

  it('flips spread wider than the window never flap', () => {
    const s = new Stream();
    const outcomes = [firing(), resolved(), firing(), resolved(), firing()].map((a, i) => outcome(s.event(a, T0 + i * 20 * MINUTE)));
    expect(outcomes).toEqual(['firing', 'resolved', 'firing', 'resolved', 'firing']);
  });

  it('a flapping series stays quiet until a whole window passes without a change, then says its state once', () => {
    const s = new Stream();
    [firing(), resolved(), firing(), resolved(), firing()].forEach((a, i) => s.event(a, T0 + i * MINUTE));
    const lastChange = T0 + 4 * MINUTE;
    // Re-published firing (no state change) inside the window: still flapping.
    expect(outcome(s.event(firing(), lastChange + 30 * MINUTE))).toBe('suppressed:flapping');
    // The same after a whole window: stable, and still firing.
    const stable = s.event(firing(), lastChange + 60 * MINUTE);
    expect(stable).toMatchObject({ outcome: 'notify', kind: 'firing', flapEnded: true });
    expect(s.memory.flapping).toBe(false);
    expect(outcome(s.event(firing(), lastChange + 61 * MINUTE))).toBe('suppressed:duplicate');
  });

  it('judges flapping in event time: history delivered within minutes is not flapping, flips within the window in the data are', () => {
    const HOUR = 60 * MINUTE;
    // A backfill: four state changes a day apart in the data, delivered a minute apart.
    const backfill = new Stream();
    const daily = [0, 1, 2, 3].map((day) => {
      const start = T0 - 30 * 24 * HOUR + day * 24 * HOUR;
      return day % 2 === 0 ? firing({ window: { start: iso(start), end: iso(start + HOUR) } }) : resolved({ window: { start: iso(start - 2 * HOUR), end: iso(start) } });
    });
    expect(daily.map((a, i) => outcome(backfill.event(a, T0 + i * MINUTE)))).toEqual(['firing', 'resolved', 'firing', 'resolved']);
    expect(backfill.memory.flapping).toBe(false);

    // The same four changes ten minutes apart in the data, delivered hours apart: flapping.
    const history = new Stream();
    const flips = [0, 1, 2, 3].map((i) => {
      const at = T0 - 30 * 24 * HOUR + i * 10 * MINUTE;
      return i % 2 === 0 ? firing({ window: { start: iso(at), end: iso(at + HOUR) } }) : resolved({ window: { start: iso(at - HOUR), end: iso(at) } });
    });
    expect(flips.map((a, i) => outcome(history.event(a, T0 + i * 2 * HOUR)))).toEqual(['firing', 'resolved', 'firing', 'flapping']);
    // Old history: by the notifier's clock the window is long over, so the next sweep settles it.
    expect(history.tick(resolved(), T0 + 7 * HOUR)).toMatchObject({ outcome: 'notify', kind: 'resolved', flapEnded: true });
  });

  it('silences suppress firing notices and leave nothing to resolve', () => {
    const muted = new Stream({ ...policy, silences: [{ matchers: [parseMatcher('project=proj-1')], comment: 'sandbox' }] });
    const first = muted.event(firing(), T0);
    expect(first).toMatchObject({ outcome: 'suppress', reason: 'muted', detail: 'sandbox' });
    expect(muted.memory.lastNotice).toBeUndefined();
    expect(outcome(muted.event(resolved(), T0 + MINUTE))).toBe('suppressed:duplicate');
  });

  it('a silence that starts while an alert fires does not withhold its resolution', () => {
    const silences = [{ matchers: [parseMatcher('service=compute')], startsAt: T0 + MINUTE }];
    const s = new Stream({ ...policy, silences });
    expect(outcome(s.event(firing(), T0))).toBe('firing');
    expect(outcome(s.event(firing({ severity: 'critical' }), T0 + 2 * MINUTE))).toBe('suppressed:muted');
    expect(outcome(s.event(resolved(), T0 + 3 * MINUTE))).toBe('resolved');
  });

  it('silences match on severity too', () => {
    const s = new Stream({ ...policy, silences: [{ matchers: [parseMatcher('severity=info')] }] });
    expect(outcome(s.event(firing({ severity: 'info' }), T0))).toBe('suppressed:muted');
    expect(outcome(s.event(firing({ severity: 'critical' }), T0 + 1))).toBe('firing');
  });
});

describe('decideOnTick', () => {
  function flapping(last: Anomaly): Stream {
    const s = new Stream();
    [firing(), resolved(), firing(), last].forEach((a, i) => s.event(a, T0 + i * MINUTE));
    expect(s.memory.flapping).toBe(true);
    return s;
  }

  it('does nothing for a series that is not flapping', () => {
    const s = new Stream();
    s.event(firing(), T0);
    expect(s.tick(firing(), T0 + 10 * 60 * MINUTE)).toBeUndefined();
  });

  it('does nothing while changes are still in the window', () => {
    const s = flapping(resolved());
    expect(s.tick(resolved(), T0 + 3 * MINUTE + 59 * MINUTE)).toBeUndefined();
  });

  it('resolves a flapping series that settled resolved', () => {
    const s = flapping(resolved());
    expect(s.tick(resolved(), T0 + 3 * MINUTE + 60 * MINUTE)).toMatchObject({ outcome: 'notify', kind: 'resolved', flapEnded: true });
    expect(s.memory.flapping).toBe(false);
    expect(s.memory.lastNotice?.state).toBe('resolved');
  });

  it('announces a flapping series that settled firing', () => {
    const s = new Stream();
    [firing(), resolved(), firing(), resolved(), firing()].forEach((a, i) => s.event(a, T0 + i * MINUTE));
    expect(s.tick(firing(), T0 + 4 * MINUTE + 60 * MINUTE)).toMatchObject({ outcome: 'notify', kind: 'firing', flapEnded: true });
  });
});
