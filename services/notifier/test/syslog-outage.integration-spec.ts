import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { MongoClient } from 'mongodb';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createEnvelope, type Anomaly, type DailyTotal } from '@costwatch/contracts';
import { connectMongo } from '@costwatch/mongo';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { DeliveryFailedError } from '../src/application/errors';
import { dailyTotalLogId } from '../src/application/publish-daily-total.use-case';
import { Notifier, notifierSettings } from '../src/compose-notifier';
import { loadNotifierConfig } from '../src/config/notifier.config';
import { anomalyFixture } from '../src/testing/anomaly.fixture';

const endpoints = testEndpoints();

/**
 * A TCP relay in front of the real rsyslog: stopping it is rsyslog going down for the
 * notifier (connections closed, then refused), starting it again on the same port is the
 * recovery. The shared rsyslog itself is never touched.
 */
class SyslogRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect({ host: endpoints.syslog.host, port: endpoints.syslog.port });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // Like a receiver that shuts down: its side of each connection closes, then nobody listens.
    for (const socket of this.sockets) socket.end();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
  }
}

function syslogLines(marker: string): string[] {
  const file = endpoints.syslog.file;
  if (!file) throw new Error('SYSLOG_FILE is not set: this test reads what the local rsyslog wrote');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(marker));
}

async function metricValue(registry: Registry, name: string, label: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => Object.values(v.labels).includes(label)).reduce((sum, v) => sum + v.value, 0);
}

describe('syslog over TCP while rsyslog is down', () => {
  const relay = new SyslogRelay();
  const logLines: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    }),
  );
  let mongo: MongoClient;
  let notifier: Notifier;
  let registry: Registry;
  const dbName = uniqueName('syslog_outage').replace(/-/g, '_');
  const domain = uniqueName('outage');

  beforeAll(async () => {
    await relay.start();
    ({ client: mongo } = await connectMongo(endpoints.mongoUrl, dbName));
    const config = loadNotifierConfig({
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      MONGO_URL: endpoints.mongoUrl,
      MONGO_DB: dbName,
      ALERTMANAGER_URLS: endpoints.alertmanagerUrl,
      SYSLOG_HOST: '127.0.0.1',
      SYSLOG_PORT: String(relay.port),
      NOTIFY_DELIVERY_ATTEMPTS: '2',
      NOTIFY_DELIVERY_TIMEOUT: '2s',
    });
    expect(config.SYSLOG_PROTOCOL).toBe('tcp');
    registry = new Registry();
    notifier = new Notifier(notifierSettings(config), { db: mongo.db(dbName), registry });
    await notifier.ensureIndexes();
  });

  afterAll(async () => {
    await notifier.close();
    await relay.stop();
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
  });

  const total = (date: string): DailyTotal =>
    ({ date, domainId: domain, projectId: 'proj-1', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'USD', amount: '1234.000000001', recordCount: 24, revision: 1 }) as DailyTotal;

  function anomaly(): Anomaly {
    const hourAgo = new Date(Date.now() - 3_600_000);
    hourAgo.setUTCMinutes(0, 0, 0);
    return anomalyFixture({
      anomalyId: `${domain}-a1`,
      series: { domainId: domain, serviceName: `Virtual Machine ${domain}` },
      window: { start: hourAgo.toISOString(), end: new Date(hourAgo.getTime() + 3_600_000).toISOString() },
      severity: 'critical',
    });
  }

  it('counts the notice and the daily total as failed, not delivered; after recovery the sweep writes each exactly once', async () => {
    const log = mongo.db(dbName).collection<{ _id: string; status?: string }>('notification_log');

    // Up: a daily total reaches rsyslog through the relay on the notifier's connection.
    await notifier.publishDailyTotal.execute({ eventId: 'up', total: total('2026-10-31') }, logger);
    await waitFor(() => (syslogLines(domain).length === 1 ? true : undefined), 'the first line in rsyslog', 15_000);

    await relay.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Down: neither line can be written; both fail, are counted and stay pending.
    const firing = createEnvelope('billing.anomaly', 'detector', anomaly());
    const notified = notifier.notifyAnomaly.execute({ eventId: firing.eventId, occurredAt: firing.occurredAt, anomaly: firing.payload }, logger);
    await expect(notified).rejects.toBeInstanceOf(DeliveryFailedError);
    await expect(notified).rejects.toThrow(/syslog/);
    await expect(notifier.publishDailyTotal.execute({ eventId: 'down', total: total('2026-11-01') }, logger)).rejects.toBeInstanceOf(DeliveryFailedError);

    expect(await metricValue(registry, 'costwatch_notification_delivery_failures_total', 'syslog')).toBeGreaterThanOrEqual(4);
    const delivered = (await log.find({ _id: { $regex: '^delivered:' } }).toArray()).map((d) => d._id);
    expect(delivered.some((id) => id.endsWith(':syslog'))).toBe(false);
    expect(delivered.some((id) => /:am_/.test(id))).toBe(true); // Alertmanager was up and got it
    expect((await log.findOne({ _id: dailyTotalLogId(total('2026-11-01')) }))?.status).toBe('pending');
    expect(logLines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual(
      expect.arrayContaining(['notice not delivered everywhere; will retry', 'daily total not written to syslog; will retry']),
    );
    // A sweep while rsyslog is still down changes nothing.
    expect((await notifier.runSweep(logger)).dailyTotals).toEqual({ retried: 0, failures: 1 });
    expect(syslogLines(domain)).toHaveLength(1);

    // Back up: the sweep writes both lines once (the transport reconnects after its backoff).
    await relay.start();
    await waitFor(
      async () => {
        await notifier.runSweep(logger);
        return syslogLines(domain).length >= 3 ? true : undefined;
      },
      'the pending notice and daily total in rsyslog after recovery',
      30_000,
      500,
    );
    await notifier.runSweep(logger);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const lines = syslogLines(domain);
    expect(lines.filter((line) => line.includes('BILLING_ANOMALY'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('BILLING_DAILY_TOTAL 2026-11-01'))).toHaveLength(1);
    expect(lines).toHaveLength(3);
    expect((await log.find({ _id: { $regex: ':syslog$' } }).toArray()).map((d) => d._id)).toEqual([`delivered:${anomalyNoticeId(delivered)}:syslog`]);
    expect((await log.findOne({ _id: dailyTotalLogId(total('2026-11-01')) }))?.status).toBe('delivered');
  }, 90_000);
});

/** The notice id of the Alertmanager delivery recorded while syslog was down. */
function anomalyNoticeId(delivered: readonly string[]): string {
  const am = delivered.find((id) => /:am_/.test(id));
  if (!am) throw new Error('no Alertmanager delivery recorded');
  return am.slice('delivered:'.length, am.lastIndexOf(':'));
}
