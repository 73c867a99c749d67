import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import pino from 'pino';
import { Registry } from 'prom-client';
import { anomalyEventSchema, createEnvelope, dailyTotalEventSchema, type Anomaly, type AnomalyEvent, type DailyTotal } from '@costwatch/contracts';
import { EventPublisher, KafkaMetrics, createKafka, ensureTopics, type EventConsumer } from '@costwatch/kafka';
import { connectMongo } from '@costwatch/mongo';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { DeliveryFailedError } from '../src/application/errors';
import { Notifier, notifierSettings } from '../src/compose-notifier';
import { loadNotifierConfig } from '../src/config/notifier.config';
import { createAnomalyConsumer } from '../src/consumers/anomaly.consumer';
import { createDailyTotalConsumer } from '../src/consumers/daily-total.consumer';
import { anomalyFixture } from '../src/testing/anomaly.fixture';

const logger = pino({ level: 'silent' });
const endpoints = testEndpoints();

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

/** What Alertmanager itself holds for one test's domain (resolved alerts are not listed). */
async function alertmanagerAlerts(domain: string): Promise<GettableAlert[]> {
  const filter = encodeURIComponent(`domain="${domain}"`);
  const response = await fetch(`${endpoints.alertmanagerUrl}/api/v2/alerts?filter=${filter}`);
  if (!response.ok) throw new Error(`alertmanager answered ${response.status}`);
  return (await response.json()) as GettableAlert[];
}

/** The lines rsyslog wrote for one test's marker. */
function syslogLines(marker: string): string[] {
  const file = endpoints.syslog.file;
  if (!file) throw new Error('SYSLOG_FILE is not set: these tests read what the local rsyslog wrote');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(marker));
}

async function waitForLines(marker: string, predicate: (lines: string[]) => boolean, what: string): Promise<string[]> {
  return waitFor(() => {
    const lines = syslogLines(marker);
    return predicate(lines) ? lines : undefined;
  }, what, 15_000);
}

/** A stand-in second Alertmanager (HA pair) that records every POST /am2/api/v2/alerts. */
async function startRecorder(): Promise<{ url: string; posts: GettableAlert[][]; server: Server }> {
  const posts: GettableAlert[][] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/am2/api/v2/alerts') {
        posts.push(JSON.parse(body) as GettableAlert[]);
        res.writeHead(200).end();
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/am2/`, posts, server };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function metricValue(registry: Registry, name: string, label: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => Object.values(v.labels).includes(label)).reduce((sum, v) => sum + v.value, 0);
}

describe('notifier against real Kafka, FerretDB, Alertmanager and rsyslog', () => {
  let mongo: MongoClient;
  let dbName: string;
  let kafka: Kafka;
  let publisher: EventPublisher;
  const cleanups: Array<() => Promise<unknown>> = [];

  const baseEnv = () => ({
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    MONGO_URL: endpoints.mongoUrl,
    MONGO_DB: dbName,
    ALERTMANAGER_URLS: endpoints.alertmanagerUrl,
    SYSLOG_HOST: endpoints.syslog.host,
    SYSLOG_PORT: String(endpoints.syslog.port),
    SYSLOG_PROTOCOL: 'tcp',
    NOTIFY_DELIVERY_TIMEOUT: '2s',
    NOTIFY_FLAP_WINDOW: '6h',
    NOTIFY_FLAP_THRESHOLD: '4',
  });

  /** One notifier "process" over this suite's database. */
  function notifier(env: Record<string, string> = {}, options: { registry?: Registry; clock?: () => number } = {}): { notifier: Notifier; registry: Registry } {
    const registry = options.registry ?? new Registry();
    const config = loadNotifierConfig({ ...baseEnv(), ...env });
    const instance = new Notifier(notifierSettings(config), { db: mongo.db(config.MONGO_DB), registry, ...(options.clock ? { clock: options.clock } : {}) });
    cleanups.push(() => instance.close());
    return { notifier: instance, registry };
  }

  function anomaly(domain: string, patch: Parameters<typeof anomalyFixture>[0] = {}): Anomaly {
    const hourAgo = new Date(Date.now() - 3_600_000);
    hourAgo.setUTCMinutes(0, 0, 0);
    return anomalyFixture({
      anomalyId: `${domain}-a1`,
      series: { domainId: domain, serviceName: `Virtual Machine ${domain}` },
      window: { start: hourAgo.toISOString(), end: new Date(hourAgo.getTime() + 3_600_000).toISOString() },
      severity: 'critical',
      ...patch,
    });
  }

  /** For tests that run the sweep, which acts on every alert stream of its database. */
  const isolatedDb = () => uniqueName('notifier').replace(/-/g, '_');

  const event = (payload: Anomaly): AnomalyEvent => createEnvelope('billing.anomaly', 'detector', payload) as AnomalyEvent;
  const command = (e: AnomalyEvent) => ({ eventId: e.eventId, occurredAt: e.occurredAt, anomaly: e.payload });

  beforeAll(async () => {
    dbName = uniqueName('notifier').replace(/-/g, '_');
    ({ client: mongo } = await connectMongo(endpoints.mongoUrl, dbName));
    kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'notifier-test', logger });
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    const { notifier: n } = notifier();
    await n.ensureIndexes();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await mongo.close();
  });

  it('firing → one Alertmanager alert and one syslog line; replay and a restart repeat nothing; resolved → endsAt and a resolution line', async () => {
    const domain = uniqueName('dom');
    const topic = uniqueName('anomalies');
    const groupId = uniqueName('notifier');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    const recorder = await startRecorder();
    cleanups.push(() => new Promise((resolve) => recorder.server.close(resolve)));
    const env = { ALERTMANAGER_URLS: `${endpoints.alertmanagerUrl},${recorder.url}` };

    const startConsumer = (instance: Notifier, group: string): EventConsumer<typeof anomalyEventSchema> => {
      const consumer = createAnomalyConsumer(kafka, { topic, groupId: group, retry: { maxAttempts: 3, initialDelayMs: 50 } }, instance.notifyAnomaly, publisher, logger);
      cleanups.push(() => consumer.stop());
      return consumer;
    };

    // Instance A handles the firing event.
    const { notifier: a, registry: registryA } = notifier(env);
    const consumerA = startConsumer(a, groupId);
    await consumerA.start();
    const firing = event(anomaly(domain));
    await publisher.publish(topic, anomalyEventSchema, [{ key: domain, event: firing }]);

    const [alert] = await waitFor(async () => {
      const alerts = await alertmanagerAlerts(domain);
      return alerts.length > 0 ? alerts : undefined;
    }, 'the alert in Alertmanager');
    expect(await alertmanagerAlerts(domain)).toHaveLength(1);
    expect(alert?.labels).toEqual({ alertname: 'BillingCostAnomaly', domain, project: 'proj-1', service: 'compute', rule: 'zscore', granularity: 'hourly', incident: expect.stringMatching(new RegExp(`^${domain}@\\d{4}-\\d{2}-\\d{2}$`)), severity: 'critical' });
    expect(alert?.annotations).toMatchObject({ observed: '120.5', expected: '40', z: '7.25', ratio: '3.0125' });
    expect(Date.parse(alert!.endsAt)).toBeGreaterThan(Date.now());
    const firingLines = await waitForLines(domain, (lines) => lines.length >= 1, 'the firing syslog line');
    expect(firingLines).toHaveLength(1);
    expect(firingLines[0]).toContain('BILLING_ANOMALY');
    expect(firingLines[0]).toContain(`Virtual Machine ${domain}`);
    expect(firingLines[0]).toMatch(/ costwatch \d+ BILLING_ANOMALY \[costwatch@32473 kind="firing"/);
    expect(recorder.posts).toHaveLength(1);
    expect(await metricValue(registryA, 'costwatch_notifications_sent_total', 'alertmanager')).toBe(2);
    await consumerA.stop();

    // Instance B (a restart) resumes the same group: the replayed firing and the resolution.
    const { notifier: b, registry: registryB } = notifier(env);
    await publisher.publish(topic, anomalyEventSchema, [
      { key: domain, event: firing },
      { key: domain, event: event(anomaly(domain, { state: 'resolved', severity: 'info' })) },
    ]);
    const consumerB = startConsumer(b, groupId);
    await consumerB.start();
    const lines = await waitForLines(domain, (l) => l.some((line) => line.includes('BILLING_RESOLVED')), 'the resolution syslog line');
    await waitFor(async () => ((await alertmanagerAlerts(domain)).length === 0 ? true : undefined), 'Alertmanager to see the alert resolved');
    expect(lines.filter((line) => line.includes('BILLING_ANOMALY'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('BILLING_RESOLVED'))).toHaveLength(1);
    expect(lines.find((line) => line.includes('BILLING_RESOLVED'))).toContain(`Virtual Machine ${domain}`);
    expect(await metricValue(registryB, 'costwatch_notifications_suppressed_total', 'duplicate')).toBe(1);
    // The HA peer got the same: firing with endsAt ahead, then the resolution with endsAt = now, same labels.
    expect(recorder.posts).toHaveLength(2);
    const resolution = recorder.posts[1]![0]!;
    expect(resolution.labels.severity).toBe('critical');
    expect(Date.parse(resolution.endsAt)).toBeLessThanOrEqual(Date.now());
    await consumerB.stop();

    // Replaying the whole topic into a fresh group changes nothing either.
    const replayMetrics = new KafkaMetrics(new Registry());
    const replay = createAnomalyConsumer(kafka, { topic, groupId: uniqueName('replay'), retry: {} }, notifier(env).notifier.notifyAnomaly, publisher, logger, replayMetrics);
    cleanups.push(() => replay.stop());
    await replay.start();
    await waitFor(async () => ((await replayMetrics.consumed.get()).values.reduce((sum, v) => sum + v.value, 0) === 3 ? true : undefined), 'the replay of all three events');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(syslogLines(domain)).toHaveLength(2);
    expect(recorder.posts).toHaveLength(2);
    expect(await alertmanagerAlerts(domain)).toHaveLength(0);
  });

  it('a flapping series gives one flapping notice, not one per flip', async () => {
    const domain = uniqueName('dom');
    const { notifier: n, registry } = notifier();
    const flips: Array<'firing' | 'resolved'> = ['firing', 'resolved', 'firing', 'resolved', 'firing', 'resolved'];
    const results = [];
    for (const state of flips) results.push(await n.notifyAnomaly.execute(command(event(anomaly(domain, { state }))), logger));
    expect(results.map((r) => (r.outcome === 'notified' ? r.kind : r.outcome === 'suppressed' ? r.reason : r.outcome))).toEqual([
      'firing',
      'resolved',
      'firing',
      'flapping',
      'flapping',
      'flapping',
    ]);
    const lines = await waitForLines(domain, (l) => l.some((line) => line.includes('kind="flapping"')), 'the flapping line');
    expect(lines.filter((line) => line.includes('kind="flapping"'))).toHaveLength(1);
    expect(lines).toHaveLength(4);
    expect(await metricValue(registry, 'costwatch_notifications_suppressed_total', 'flapping')).toBe(2);
    const alerts = await alertmanagerAlerts(domain);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.annotations['flapping']).toBe('true');
  });

  it('a muted series sends nothing and is counted; daily totals are written once (over UDP)', async () => {
    const domain = uniqueName('dom');
    const silences = JSON.stringify([{ matchers: [`domain="${domain}"`, 'service=~"comp.*"'], comment: 'test mute' }]);
    const { notifier: n, registry } = notifier({ NOTIFY_SILENCES: silences, SYSLOG_PROTOCOL: 'udp' });
    expect(await n.notifyAnomaly.execute(command(event(anomaly(domain))), logger)).toEqual({ outcome: 'suppressed', reason: 'muted' });
    expect(await metricValue(registry, 'costwatch_notifications_suppressed_total', 'muted')).toBe(1);

    // Daily totals through the Kafka consumer; the same event twice gives one line. It also
    // serves as a sentinel: once it is in the file, a line for the muted anomaly would be too.
    const topic = uniqueName('daily-totals');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    const total: DailyTotal = { date: '2026-11-01', domainId: domain, projectId: 'proj-1', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'USD', amount: '1234.000000001', recordCount: 24, revision: 1 };
    const totalEvent = createEnvelope('billing.daily-total', 'baseline', total);
    await publisher.publish(topic, dailyTotalEventSchema, [
      { key: domain, event: totalEvent },
      { key: domain, event: totalEvent },
    ]);
    const consumer = createDailyTotalConsumer(kafka, { topic, groupId: uniqueName('notifier'), retry: {} }, n.publishDailyTotal, publisher, logger);
    cleanups.push(() => consumer.stop());
    await consumer.start();
    await waitFor(async () => ((await metricValue(registry, 'costwatch_notifications_suppressed_total', 'duplicate')) === 1 ? true : undefined), 'both daily-total events');
    const lines = await waitForLines(domain, (l) => l.length > 0, 'the daily total line');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('BILLING_DAILY_TOTAL');
    expect(lines[0]).toContain('amount="1234.000000001"');
    expect(lines.some((line) => line.includes('BILLING_ANOMALY'))).toBe(false);
    expect(await alertmanagerAlerts(domain)).toHaveLength(0);
  });

  it('an unreachable Alertmanager is retried and counted, the healthy one still gets the alert, and a redelivery only retries the failed one', async () => {
    const domain = uniqueName('dom');
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { notifier: n, registry } = notifier({ ALERTMANAGER_URLS: `${endpoints.alertmanagerUrl},${dead}`, NOTIFY_DELIVERY_ATTEMPTS: '3' });
    const firing = command(event(anomaly(domain)));

    await expect(n.notifyAnomaly.execute(firing, logger)).rejects.toThrow(DeliveryFailedError);
    expect(await metricValue(registry, 'costwatch_notification_delivery_failures_total', 'alertmanager')).toBe(3);
    expect(await alertmanagerAlerts(domain)).toHaveLength(1);
    await waitForLines(domain, (l) => l.length === 1, 'the firing line');

    // Kafka redelivers: only the dead Alertmanager is tried again.
    await expect(n.notifyAnomaly.execute(firing, logger)).rejects.toThrow(/alertmanager: connection failed \(ECONNREFUSED\)/);
    expect(await metricValue(registry, 'costwatch_notification_delivery_failures_total', 'alertmanager')).toBe(6);
    expect(await metricValue(registry, 'costwatch_notifications_sent_total', 'syslog')).toBe(1);
    expect(await metricValue(registry, 'costwatch_notifications_sent_total', 'alertmanager')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(syslogLines(domain)).toHaveLength(1);
    // 3 failed attempts, 1 success, then 3 more failures on the redelivery: every attempt is timed.
    const histogram = await registry.getSingleMetricAsString('costwatch_notification_delivery_seconds');
    expect(histogram).toMatch(/costwatch_notification_delivery_seconds_count\{channel="alertmanager"\} 7/);
  });

  it('HA: both Alertmanagers receive every alert and every re-send, with endsAt ahead', async () => {
    const domain = uniqueName('dom');
    const recorder = await startRecorder();
    cleanups.push(() => new Promise((resolve) => recorder.server.close(resolve)));
    // Its own database: the sweep re-sends every firing alert it finds.
    const { notifier: n } = notifier({ ALERTMANAGER_URLS: `${endpoints.alertmanagerUrl},${recorder.url}`, ALERTMANAGER_RESEND_INTERVAL: '30s', MONGO_DB: isolatedDb() });
    await n.notifyAnomaly.execute(command(event(anomaly(domain))), logger);
    const first = await alertmanagerAlerts(domain);
    expect(first).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const report = await n.sweep.run(logger);
    expect(report).toMatchObject({ examined: 1, refreshed: 2, failures: 0 });
    const refreshed = await alertmanagerAlerts(domain);
    expect(refreshed).toHaveLength(1);
    expect(Date.parse(refreshed[0]!.endsAt)).toBeGreaterThan(Date.parse(first[0]!.endsAt));
    const mine = recorder.posts.map((post) => post.filter((a) => a.labels.domain === domain)).filter((post) => post.length > 0);
    expect(mine).toHaveLength(2);
    expect(Date.parse(mine[1]![0]!.endsAt)).toBeGreaterThan(Date.now() + 60_000);
  });

  it('quiet hours: syslog at once, Alertmanager held until they end', async () => {
    const domain = uniqueName('dom');
    const hour = new Date().getUTCHours();
    const quiet = `${String(hour).padStart(2, '0')}:00-${String((hour + 2) % 24).padStart(2, '0')}:00`;
    let offset = 0;
    const env = { NOTIFY_QUIET_HOURS: quiet, NOTIFY_TIMEZONE: 'UTC', MONGO_DB: isolatedDb() };
    const { notifier: n, registry } = notifier(env, { clock: () => Date.now() + offset });

    const result = await n.notifyAnomaly.execute(command(event(anomaly(domain))), logger);
    expect(result).toMatchObject({ outcome: 'notified', held: [expect.stringMatching(/^am_/)] });
    await waitForLines(domain, (l) => l.length === 1, 'the firing line');
    expect(await alertmanagerAlerts(domain)).toHaveLength(0);
    expect(await metricValue(registry, 'costwatch_notifications_suppressed_total', 'quiet_hours')).toBe(1);

    offset = 3 * 3_600_000; // after the quiet hours
    expect(await n.sweep.run(logger)).toMatchObject({ examined: 1, released: 1, failures: 0 });
    expect(await alertmanagerAlerts(domain)).toHaveLength(1);
    expect(syslogLines(domain)).toHaveLength(1);
  });
});
