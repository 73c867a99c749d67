import pino from 'pino';
import { Registry } from 'prom-client';
import type { Anomaly } from '@costwatch/contracts';
import { DeliveryFailedError, OutboxBusyError } from '../src/application/errors';
import type { NotificationSettings } from '../src/application/notification-settings';
import { NotifierMetrics } from '../src/application/notifier-metrics';
import { NotifyAnomalyUseCase, type NotifyAnomalyCommand } from '../src/application/notify-anomaly.use-case';
import { OutboxDeliverer } from '../src/application/outbox-deliverer';
import { PublishDailyTotalUseCase } from '../src/application/publish-daily-total.use-case';
import { SweepNotificationsUseCase } from '../src/application/sweep-notifications.use-case';
import { fingerprint } from '../src/domain/alert-identity';
import { parseQuietHours } from '../src/domain/quiet-hours';
import { InstrumentedChannel } from '../src/infra/instrumented-delivery';
import { anomalyFixture } from '../src/testing/anomaly.fixture';
import { FakeChannel, FakeChannels, InMemoryLog, InMemoryStateStore } from './in-memory';

const logger = pino({ level: 'silent' });
const MINUTE = 60_000;
const DAY = Date.parse('2026-11-02T12:00:00Z');
const NIGHT = Date.parse('2026-11-02T23:00:00Z');

const settings: NotificationSettings = {
  policy: { repeatIntervalMs: 240 * MINUTE, flap: { windowMs: 60 * MINUTE, threshold: 4 }, silences: [] },
  quiet: { schedule: { timeZone: 'UTC', hours: parseQuietHours('22:00-07:00'), days: new Set() } },
};

/** One notifier "process" over a shared store: several of them model restarts and replicas. */
function harness(store = new InMemoryStateStore(), owner = 'instance-a') {
  const syslog = new FakeChannel('syslog', 'syslog');
  const amA = new FakeChannel('am_a', 'alertmanager');
  const amB = new FakeChannel('am_b', 'alertmanager');
  const registry = new Registry();
  const metrics = new NotifierMetrics(registry);
  const retry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
  const channels = new FakeChannels(
    [syslog, amA, amB].map((c) => new InstrumentedChannel(c, metrics, retry)),
    [amA, amB],
  );
  const clock = { now: DAY };
  const log = new InMemoryLog();
  const deliverer = new OutboxDeliverer(store, log, channels, () => clock.now, { owner, leaseMs: 30_000 });
  const notify = new NotifyAnomalyUseCase(store, log, channels, deliverer, metrics, settings, () => clock.now);
  const sweep = new SweepNotificationsUseCase(store, log, channels, deliverer, metrics, settings, () => clock.now);
  const daily = new PublishDailyTotalUseCase(log, channels, metrics, () => clock.now, { owner, leaseMs: 30_000 });
  const metric = async (name: string, label: string) => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.filter((v) => Object.values(v.labels).includes(label)).reduce((sum, v) => sum + v.value, 0);
  };
  return { store, syslog, amA, amB, clock, notify, sweep, daily, channels, metric, log };
}

let seq = 0;
function command(anomaly: Anomaly, eventId = `evt-${++seq}`, occurredAt = new Date(DAY).toISOString()): NotifyAnomalyCommand {
  return { eventId, occurredAt, anomaly };
}
const firing = (patch: Parameters<typeof anomalyFixture>[0] = {}) => anomalyFixture({ state: 'firing', ...patch });
const resolved = () => anomalyFixture({ state: 'resolved' });
const kinds = (channel: FakeChannel) => channel.deliveries.map((d) => d.kind);

describe('NotifyAnomalyUseCase', () => {
  it('delivers a firing anomaly once to every destination, and a replay to none', async () => {
    const h = harness();
    const event = command(firing());
    expect(await h.notify.execute(event, logger)).toMatchObject({ outcome: 'notified', kind: 'firing', held: [] });
    expect(await h.notify.execute(event, logger)).toEqual({ outcome: 'suppressed', reason: 'duplicate' });
    expect([kinds(h.syslog), kinds(h.amA), kinds(h.amB)]).toEqual([['firing'], ['firing'], ['firing']]);
    expect(await h.metric('costwatch_notifications_sent_total', 'alertmanager')).toBe(2);
    expect(await h.metric('costwatch_notifications_suppressed_total', 'duplicate')).toBe(1);
  });

  it('a restarted notifier (new instance, same store) neither forgets nor repeats', async () => {
    const first = harness();
    const event = command(firing());
    await first.notify.execute(event, logger);
    const second = harness(first.store, 'instance-b');
    expect(await second.notify.execute(event, logger)).toEqual({ outcome: 'suppressed', reason: 'duplicate' });
    expect(await second.notify.execute(command(resolved()), logger)).toMatchObject({ outcome: 'notified', kind: 'resolved' });
    expect([kinds(second.syslog), kinds(second.amA)]).toEqual([['resolved'], ['resolved']]);
  });

  it('a partly failed delivery throws, and the redelivery only sends where it failed', async () => {
    const h = harness();
    h.amB.failing = true;
    const event = command(firing());
    await expect(h.notify.execute(event, logger)).rejects.toThrow(DeliveryFailedError);
    expect(h.amB.attempts).toBe(3);
    expect(await h.metric('costwatch_notification_delivery_failures_total', 'alertmanager')).toBe(3);

    // Kafka redelivers while am_b is still down: syslog and am_a are not sent again.
    await expect(h.notify.execute(event, logger)).rejects.toThrow(/am_b/);
    h.amB.failing = false;
    expect(await h.notify.execute(event, logger)).toEqual({ outcome: 'completed' });
    expect([kinds(h.syslog), kinds(h.amA), kinds(h.amB)]).toEqual([['firing'], ['firing'], ['firing']]);
    expect(await h.notify.execute(event, logger)).toEqual({ outcome: 'suppressed', reason: 'duplicate' });
  });

  it('finishes an older unfinished notice before deciding a newer event (dead-lettered, then the next event)', async () => {
    const h = harness();
    h.amB.failing = true;
    await expect(h.notify.execute(command(firing()), logger)).rejects.toThrow(DeliveryFailedError);
    h.amB.failing = false;
    await h.notify.execute(command(resolved()), logger);
    expect(kinds(h.amB)).toEqual(['firing', 'resolved']);
    expect(kinds(h.syslog)).toEqual(['firing', 'resolved']);
  });

  it('a destination that stays down does not hold back newer notices for the others (dead HA peer)', async () => {
    const h = harness();
    h.amB.failing = true;
    const first = command(firing());
    await expect(h.notify.execute(first, logger)).rejects.toThrow(DeliveryFailedError);
    expect(await h.notify.execute(command(resolved()), logger)).toMatchObject({ outcome: 'notified', kind: 'resolved' });
    expect([kinds(h.syslog), kinds(h.amA), kinds(h.amB)]).toEqual([['firing', 'resolved'], ['firing', 'resolved'], []]);
    expect(h.log.entries.get(`superseded:${fingerprint(firing())}:${first.eventId}`)).toEqual({ keys: ['am_b'] });
  });

  it('leaves a notice another live instance is delivering alone', async () => {
    const h = harness();
    h.amB.failing = true;
    const event = command(firing());
    await expect(h.notify.execute(event, logger)).rejects.toThrow(DeliveryFailedError);
    // Instance B takes the lease (as if mid-delivery)…
    const fp = fingerprint(firing());
    const record = h.store.records.get(fp)!;
    h.store.records.set(fp, { ...record, outbox: { ...record.outbox!, leaseOwner: 'instance-b', leaseUntil: h.clock.now + 10_000 } });
    expect(await h.notify.execute(event, logger)).toEqual({ outcome: 'in_progress' });
    await expect(h.notify.execute(command(resolved()), logger)).rejects.toThrow(OutboxBusyError);
    // …and dies: once the lease expires the sweep finishes the delivery.
    h.amB.failing = false;
    h.clock.now += 10_001;
    expect(await h.sweep.run(logger)).toMatchObject({ retried: 1 });
    expect(kinds(h.amB)).toEqual(['firing']);
  });

  it('passes what the destination had to it, so Alertmanager can end the old-severity alert', async () => {
    const h = harness();
    await h.notify.execute(command(firing({ severity: 'warning' })), logger);
    await h.notify.execute(command(firing({ severity: 'critical' })), logger);
    expect(h.amA.deliveries.map((d) => [d.kind, d.severity, d.previous?.severity])).toEqual([
      ['firing', 'warning', undefined],
      ['escalated', 'critical', 'warning'],
    ]);
  });

  it('counts muted notices and sends nothing', async () => {
    const h = harness();
    const muted = new NotifyAnomalyUseCase(
      h.store,
      new InMemoryLog(),
      h.channels,
      new OutboxDeliverer(h.store, new InMemoryLog(), h.channels, () => h.clock.now, { owner: 'x', leaseMs: 1_000 }),
      new NotifierMetrics(new Registry()),
      { ...settings, policy: { ...settings.policy, silences: [{ matchers: [{ name: 'project', operator: '=', value: 'proj-1' }] }] } },
      () => h.clock.now,
    );
    expect(await muted.execute(command(firing()), logger)).toEqual({ outcome: 'suppressed', reason: 'muted' });
    expect(h.syslog.deliveries).toHaveLength(0);
  });
});

describe('quiet hours', () => {
  it('writes syslog at night, holds Alertmanager until morning, then delivers if still firing', async () => {
    const h = harness();
    h.clock.now = NIGHT;
    const result = await h.notify.execute(command(firing(), 'night-1', new Date(NIGHT).toISOString()), logger);
    expect(result).toMatchObject({ outcome: 'notified', held: ['am_a', 'am_b'] });
    expect([kinds(h.syslog), kinds(h.amA)]).toEqual([['firing'], []]);
    expect(await h.metric('costwatch_notifications_suppressed_total', 'quiet_hours')).toBe(1);

    h.clock.now = NIGHT + 60 * MINUTE;
    expect(await h.sweep.run(logger)).toMatchObject({ released: 0 });
    expect(kinds(h.amA)).toEqual([]);

    h.clock.now = Date.parse('2026-11-03T07:00:00Z');
    expect(await h.sweep.run(logger)).toMatchObject({ released: 1 });
    expect([kinds(h.amA), kinds(h.amB), kinds(h.syslog)]).toEqual([['firing'], ['firing'], ['firing']]);
    // Firing in Alertmanager from now on: the next sweep re-sends it.
    await h.sweep.run(logger);
    expect(h.amA.refreshes.at(-1)).toEqual([{ noticeId: `${fingerprint(firing())}:night-1`, severity: 'warning' }]);
  });

  it('releases held paging in the morning even while another destination is still down', async () => {
    const h = harness();
    h.clock.now = NIGHT;
    h.syslog.failing = true;
    await expect(h.notify.execute(command(firing()), logger)).rejects.toThrow(DeliveryFailedError);
    h.clock.now = Date.parse('2026-11-03T07:30:00Z');
    expect(await h.sweep.run(logger)).toMatchObject({ released: 1, failures: 2 });
    expect([kinds(h.amA), kinds(h.amB), kinds(h.syslog)]).toEqual([['firing'], ['firing'], []]);
    h.syslog.failing = false;
    expect(await h.sweep.run(logger)).toMatchObject({ retried: 1, failures: 0 });
    expect(kinds(h.syslog)).toEqual(['firing']);
  });

  it('a night-time anomaly that resolves before morning never pages', async () => {
    const h = harness();
    h.clock.now = NIGHT;
    await h.notify.execute(command(firing()), logger);
    h.clock.now = NIGHT + 30 * MINUTE;
    await h.notify.execute(command(resolved()), logger);
    h.clock.now = Date.parse('2026-11-03T08:00:00Z');
    await h.sweep.run(logger);
    expect([kinds(h.syslog), kinds(h.amA)]).toEqual([['firing', 'resolved'], []]);
    expect(h.log.entries.has(`superseded:${fingerprint(firing())}:evt-${seq - 1}`)).toBe(true);
  });
});

describe('SweepNotificationsUseCase', () => {
  it('re-sends firing alerts to every Alertmanager and stops after the resolution', async () => {
    const h = harness();
    await h.notify.execute(command(firing()), logger);
    await h.notify.execute(command(firing({ series: { serviceId: 'storage' } })), logger);
    expect(await h.sweep.run(logger)).toMatchObject({ examined: 2, refreshed: 4 });
    expect(h.amB.refreshes.at(-1)).toHaveLength(2);
    await h.notify.execute(command(resolved()), logger);
    await h.sweep.run(logger);
    expect(h.amA.refreshes.at(-1)).toHaveLength(1);
  });

  it('counts a failed re-send without failing the sweep', async () => {
    const h = harness();
    await h.notify.execute(command(firing()), logger);
    h.amB.failing = true;
    expect(await h.sweep.run(logger)).toMatchObject({ failures: 1 });
    expect(h.amA.refreshes).toHaveLength(1);
  });

  it('announces a flapping series once it is stable again', async () => {
    const h = harness();
    for (const state of ['firing', 'resolved', 'firing', 'resolved', 'firing', 'resolved'] as const) {
      h.clock.now += MINUTE;
      // Live: each state change happened (in the data) as it is notified.
      const at = new Date(h.clock.now).toISOString();
      const window = state === 'firing' ? { start: at, end: new Date(h.clock.now + 60 * MINUTE).toISOString() } : { start: new Date(h.clock.now - 60 * MINUTE).toISOString(), end: at };
      await h.notify.execute(command(anomalyFixture({ state, window }), undefined, at), logger);
    }
    expect(kinds(h.syslog)).toEqual(['firing', 'resolved', 'firing', 'flapping']);
    h.clock.now += 30 * MINUTE;
    expect(await h.sweep.run(logger)).toMatchObject({ stabilised: 0 });
    h.clock.now += 30 * MINUTE;
    expect(await h.sweep.run(logger)).toMatchObject({ stabilised: 1 });
    expect(kinds(h.syslog)).toEqual(['firing', 'resolved', 'firing', 'flapping', 'resolved']);
    expect(kinds(h.amA).at(-1)).toBe('resolved');
  });
});

describe('PublishDailyTotalUseCase', () => {
  it('writes each total once; a restated amount is written again', async () => {
    const h = harness();
    const total = { date: '2026-11-01', domainId: 'd', projectId: 'p', serviceId: 's', serviceName: 'S', currency: 'USD', amount: '10.5', recordCount: 24, revision: 1 };
    expect(await h.daily.execute({ eventId: 'e1', total }, logger)).toBe('written');
    expect(await h.daily.execute({ eventId: 'e1', total }, logger)).toBe('duplicate');
    expect(await h.daily.execute({ eventId: 'e2', total: { ...total, amount: '11' } }, logger)).toBe('written');
    expect(h.channels.dailyTotalLines.map((t) => t.amount)).toEqual(['10.5', '11']);
  });

  it('a line syslog does not take stays pending, fails the event, and is written once by the sweep after recovery', async () => {
    const h = harness();
    const total = { date: '2026-11-01', domainId: 'd', projectId: 'p', serviceId: 's', serviceName: 'S', currency: 'USD', amount: '10.5', recordCount: 24, revision: 1 };
    h.channels.dailyTotalsFailing = true;
    await expect(h.daily.execute({ eventId: 'e1', total }, logger)).rejects.toBeInstanceOf(DeliveryFailedError);
    expect(await h.daily.retryPending(logger)).toEqual({ retried: 0, failures: 1 });
    expect([...h.log.dailyTotals.values()].map((e) => e.status)).toEqual(['pending']);

    h.channels.dailyTotalsFailing = false;
    expect(await h.daily.retryPending(logger)).toEqual({ retried: 1, failures: 0 });
    expect(await h.daily.retryPending(logger)).toEqual({ retried: 0, failures: 0 });
    expect(await h.daily.execute({ eventId: 'e1', total }, logger)).toBe('duplicate');
    expect(h.channels.dailyTotalLines.map((t) => t.amount)).toEqual(['10.5']);
  });

  it('a line another instance is writing is left to it until its lease expires (no second line)', async () => {
    const h = harness();
    const total = { date: '2026-11-01', domainId: 'd', projectId: 'p', serviceId: 's', serviceName: 'S', currency: 'USD', amount: '10.5', recordCount: 24, revision: 1 };
    await h.log.claimDailyTotal('daily:x', total, 'e1', { owner: 'instance-b', now: h.clock.now, until: h.clock.now + 30_000 });
    expect(await h.daily.retryPending(logger)).toEqual({ retried: 0, failures: 0 });
    h.clock.now += 30_000;
    expect(await h.daily.retryPending(logger)).toEqual({ retried: 1, failures: 0 });
    expect(h.channels.dailyTotalLines).toHaveLength(1);
  });
});
