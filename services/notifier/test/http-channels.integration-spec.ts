import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import pino from 'pino';
import { anomalyEventSchema, createEnvelope, topicNames, type Anomaly } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { anomalyFixture } from '../src/testing/anomaly.fixture';

const endpoints = testEndpoints();

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A webhook receiver on 127.0.0.1: keeps every POST; `failFirst` answers the first request on a path with 503. */
class Receiver {
  readonly received: Received[] = [];
  private readonly server: Server;

  constructor(private readonly failFirst: ReadonlySet<string>) {
    this.server = createServer((request, response) => {
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const seen = this.received.filter((r) => r.path === path).length;
        this.received.push({ path, headers: request.headers, body: JSON.parse(text) as Record<string, unknown> });
        const fail = this.failFirst.has(path) && seen === 0;
        response.writeHead(fail ? 503 : 200, { 'content-type': 'text/plain' });
        response.end(fail ? 'try again' : 'ok');
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

const WEBHOOK_PATH = '/hooks/costwatch/SECRET-WEBHOOK-TOKEN';
const SLACK_PATH = '/services/T000/B000/SECRET-SLACK-TOKEN';

/** The built notifier (`npm run build`) delivering to a local webhook and Slack receiver. */
describe('webhook and Slack delivery from the notifier process', () => {
  const entry = resolve(__dirname, '../../../dist/services/notifier/src/main.js');
  const receiver = new Receiver(new Set([WEBHOOK_PATH]));
  const prefix = `${uniqueName('nh')}.`;
  let child: ChildProcess;
  let output = '';
  let base: string;

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    const receiverUrl = await receiver.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HTTP_PORT: String(port),
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: prefix,
        MONGO_URL: endpoints.mongoUrl,
        MONGO_DB: uniqueName('notifier_http').replace(/-/g, '_'),
        ALERTMANAGER_URLS: endpoints.alertmanagerUrl,
        SYSLOG_HOST: endpoints.syslog.host,
        SYSLOG_PORT: String(endpoints.syslog.port),
        SYSLOG_PROTOCOL: 'tcp',
        WEBHOOK_URL: `${receiverUrl}${WEBHOOK_PATH}`,
        SLACK_WEBHOOK_URL: `${receiverUrl}${SLACK_PATH}`,
        DASHBOARD_URL: 'https://grafana.example/d/costwatch',
        RUNBOOK_URL: 'https://runbooks.example/billing-anomaly',
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
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await receiver.stop();
  });

  it('posts the firing and the resolution to both receivers, with the payload each expects', async () => {
    const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'notifier-http-test', logger: pino({ level: 'silent' }) });
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    const topic = topicNames(prefix).anomalies;
    await ensureTopics(kafka, [{ topic }]);
    const domain = uniqueName('dom');
    const start = new Date(Date.now() - 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    const anomaly = (state: Anomaly['state']): Anomaly =>
      anomalyFixture({
        state,
        severity: 'critical',
        anomalyId: `${domain}-1`,
        series: { domainId: domain, serviceName: 'R&D <GPU>' },
        window: { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
      });
    try {
      await publisher.publish(topic, anomalyEventSchema, [{ key: domain, event: createEnvelope('billing.anomaly', 'detector', anomaly('firing')) }]);
      // The webhook's first attempt gets a 503; the retry is delivered.
      await waitFor(() => (receiver.on(WEBHOOK_PATH).length >= 2 && receiver.on(SLACK_PATH).length >= 1 ? true : undefined), 'the firing notice at both receivers');

      const [refused, firing] = receiver.on(WEBHOOK_PATH);
      expect(firing?.headers['content-type']).toBe('application/json');
      expect(firing?.body).toMatchObject({
        version: '1',
        source: 'costwatch',
        kind: 'firing',
        status: 'firing',
        severity: 'critical',
        flapEnded: false,
        summary: `Cost anomaly (critical): R&D <GPU> (compute) in project proj-1 / domain ${domain}: 120.5 USD vs expected 40 USD`,
        labels: expect.objectContaining({ alertname: 'BillingCostAnomaly', domain, project: 'proj-1', service: 'compute', severity: 'critical' }),
        links: { dashboard: `https://grafana.example/d/costwatch?var-domain=${domain}&var-project=proj-1&var-service=compute`, runbook: 'https://runbooks.example/billing-anomaly' },
        anomaly: expect.objectContaining({ anomalyId: `${domain}-1`, state: 'firing', observed: '120.5', expected: '40', series: expect.objectContaining({ domainId: domain, serviceName: 'R&D <GPU>' }) }),
      });
      expect(Date.parse(String(firing?.body['sentAt']))).toBeGreaterThan(start.getTime());
      // The retry carries the same notice, so a receiver can drop a duplicate by its Idempotency-Key.
      expect(firing?.headers['idempotency-key']).toBe(firing?.body['noticeId']);
      expect(refused?.headers['idempotency-key']).toBe(firing?.headers['idempotency-key']);

      const [slackFiring] = receiver.on(SLACK_PATH);
      const slackText = String(slackFiring?.body['text']);
      // Slack's mrkdwn: '&', '<' and '>' escaped, so a name cannot forge a link or a mention.
      expect(slackText).toBe(`:rotating_light: Cost anomaly (critical): R&amp;D &lt;GPU&gt; (compute) in project proj-1 / domain ${domain}: 120.5 USD vs expected 40 USD`);
      expect(slackFiring?.body['blocks']).toEqual([
        { type: 'section', text: { type: 'mrkdwn', text: `*${slackText}*` } },
        { type: 'section', text: { type: 'mrkdwn', text: expect.any(String) as unknown } },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `<https://grafana.example/d/costwatch?var-domain=${domain}&var-project=proj-1&var-service=compute|Dashboard> · <https://runbooks.example/billing-anomaly|Runbook>` }],
        },
      ]);

      await publisher.publish(topic, anomalyEventSchema, [{ key: domain, event: createEnvelope('billing.anomaly', 'detector', anomaly('resolved')) }]);
      await waitFor(() => (receiver.on(WEBHOOK_PATH).length >= 3 && receiver.on(SLACK_PATH).length >= 2 ? true : undefined), 'the resolution at both receivers');

      const resolved = receiver.on(WEBHOOK_PATH)[2];
      expect(resolved?.body).toMatchObject({ kind: 'resolved', status: 'resolved', anomaly: expect.objectContaining({ anomalyId: `${domain}-1`, state: 'resolved' }) });
      expect(resolved?.headers['idempotency-key']).toBe(resolved?.body['noticeId']);
      expect(resolved?.body['noticeId']).not.toBe(firing?.body['noticeId']);
      expect(String(receiver.on(SLACK_PATH)[1]?.body['text'])).toMatch(/^:white_check_mark: Resolved: cost of .* is back to normal/);

      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('costwatch_notifications_sent_total{channel="webhook",service="notifier"} 2');
      expect(metrics).toContain('costwatch_notifications_sent_total{channel="slack",service="notifier"} 2');
      // Nothing more arrives: one delivery per notice and receiver (plus the refused attempt).
      await new Promise((done) => setTimeout(done, 1_000));
      expect(receiver.on(WEBHOOK_PATH)).toHaveLength(3);
      expect(receiver.on(SLACK_PATH)).toHaveLength(2);
      // The URLs are secrets: they never reach the logs.
      expect(output).not.toContain('SECRET-WEBHOOK-TOKEN');
      expect(output).not.toContain('SECRET-SLACK-TOKEN');
    } finally {
      await publisher.disconnect();
    }
  });
});
