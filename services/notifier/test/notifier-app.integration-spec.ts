import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import pino from 'pino';
import { anomalyEventSchema, createEnvelope, topicNames, type Anomaly } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { anomalyFixture } from '../src/testing/anomaly.fixture';

const endpoints = testEndpoints();

/** What rsyslog wrote: the local stack's file (SYSLOG_FILE); without it the syslog assertions could not run, so the test fails. */
function syslogFile(): string {
  const file = endpoints.syslog.file;
  if (!file) throw new Error('SYSLOG_FILE is not set: this test reads what the receiving rsyslog wrote (the global setup exports it for the local stack; set it when SYSLOG_HOST points elsewhere)');
  return file;
}

const syslogLines = (file: string, domain: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line.includes(`domain="${domain}"`)) : []);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function alerts(domain: string): Promise<Array<{ endsAt: string; labels: Record<string, string> }>> {
  const response = await fetch(`${endpoints.alertmanagerUrl}/api/v2/alerts?filter=${encodeURIComponent(`domain="${domain}"`)}`);
  return (await response.json()) as Array<{ endsAt: string; labels: Record<string, string> }>;
}

/** The built service (`npm run build`), run as an operator would, on its own topic prefix and database. */
describe('notifier service process (dist/services/notifier/src/main.js)', () => {
  const entry = resolve(__dirname, '../../../dist/services/notifier/src/main.js');
  let child: ChildProcess;
  let output = '';
  let base: string;
  const prefix = `${uniqueName('nt')}.`;

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    syslogFile();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HTTP_PORT: String(port),
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        MONGO_URL: endpoints.mongoUrl,
        MONGO_DB: uniqueName('notifier_app').replace(/-/g, '_'),
        ALERTMANAGER_URLS: endpoints.alertmanagerUrl,
        ALERTMANAGER_RESEND_INTERVAL: '2s',
        SYSLOG_HOST: endpoints.syslog.host,
        SYSLOG_PORT: String(endpoints.syslog.port),
        SYSLOG_PROTOCOL: 'tcp',
        WEBHOOK_URL: 'http://127.0.0.1:9/hooks/T0/SECRET-WEBHOOK-TOKEN',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => ((await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined),
      `notifier readiness (output: ${output.slice(-1500)})`,
      60_000,
      250,
    );
  });

  afterAll(async () => {
    if (process.env['NOTIFIER_TEST_OUTPUT']) process.stdout.write(output);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('consumes anomaly events from its topic and notifies syslog and Alertmanager, re-sending while firing', async () => {
    const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'notifier-app-test', logger: pino({ level: 'silent' }) });
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    const topic = topicNames(prefix).anomalies;
    await ensureTopics(kafka, [{ topic }]);
    const domain = uniqueName('dom');
    const start = new Date(Date.now() - 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    const anomaly = (state: Anomaly['state']): Anomaly =>
      anomalyFixture({ state, anomalyId: `${domain}-1`, series: { domainId: domain }, window: { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() } });
    try {
      await publisher.publish(topic, anomalyEventSchema, [{ key: domain, event: createEnvelope('billing.anomaly', 'detector', anomaly('firing')) }]);
      const [first] = await waitFor(async () => {
        const found = await alerts(domain);
        return found.length > 0 ? found : undefined;
      }, 'the alert in Alertmanager');
      const file = syslogFile();
      await waitFor(() => (syslogLines(file, domain).some((line) => line.includes('BILLING_ANOMALY')) ? true : undefined), `the BILLING_ANOMALY line in ${file}`);

      // The sweep (every 2 s here) re-sends it with a later endsAt.
      await waitFor(async () => {
        const [again] = await alerts(domain);
        return again && Date.parse(again.endsAt) > Date.parse(first!.endsAt) ? true : undefined;
      }, 'a re-send');

      await publisher.publish(topic, anomalyEventSchema, [{ key: domain, event: createEnvelope('billing.anomaly', 'detector', anomaly('resolved')) }]);
      await waitFor(async () => ((await alerts(domain)).length === 0 ? true : undefined), 'the resolution');
      await waitFor(() => (syslogLines(file, domain).some((line) => line.includes('BILLING_RESOLVED')) ? true : undefined), `the BILLING_RESOLVED line in ${file}`);
      expect(syslogLines(file, domain).map((line) => /BILLING_(ANOMALY|RESOLVED)/.exec(line)?.[0])).toEqual(['BILLING_ANOMALY', 'BILLING_RESOLVED']);

      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('costwatch_notifications_sent_total{channel="alertmanager",service="notifier"} 2');
      expect(metrics).toContain('costwatch_notifications_sent_total{channel="syslog",service="notifier"} 2');
      // The webhook points at a closed port: its failures are counted...
      expect(metrics).toMatch(/costwatch_notification_delivery_failures_total\{channel="webhook",service="notifier"\} [1-9]/);
      // ...and its URL (a secret) never reaches the logs.
      expect(output).not.toContain('SECRET-WEBHOOK-TOKEN');
    } finally {
      await publisher.disconnect();
    }
  });
});
