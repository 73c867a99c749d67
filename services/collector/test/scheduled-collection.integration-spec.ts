import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { billingRecordEventSchema, topicNames } from '@costwatch/contracts';
import { createKafka } from '@costwatch/kafka';
import { collectMessages, testEndpoints, uniqueName, waitFor } from '@costwatch/testing';

const endpoints = testEndpoints();
const DAY_MS = 86_400_000;
const CREDENTIAL_ID = 'scheduled-test-id';
const CREDENTIAL_SECRET = 'scheduled-test-SECRET-4711';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The value of the sample of `name` whose labels include all of `labels`. */
function metricValue(text: string, name: string, labels: readonly string[]): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
  if (line === undefined) throw new Error(`no ${name}{${labels.join(',')}} in the metrics`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

const ymdOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** A KakaoCloud-style Billing API on 127.0.0.1: two services of one project for whatever day is asked. */
class FakeBillingApi {
  readonly dates: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const date = url.searchParams.get('date') ?? '';
    const authorised = request.headers['credential-id'] === CREDENTIAL_ID && request.headers['credential-secret'] === CREDENTIAL_SECRET;
    if (authorised) this.dates.push(date);
    const item = (serviceId: string, cost: string) => ({ meteringDate: date, domainId: 'dom-sched', projectId: 'proj-sched', serviceId, serviceName: serviceId, cost });
    response.writeHead(authorised ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify(authorised ? { currency: 'KRW', items: [item('vm', '120500.25'), item('storage', '3300')], nextPageToken: null } : { error: 'no credentials' }));
  });

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

/**
 * The scheduled daily collection job, in the built service (`npm run build`) as an operator
 * runs it: its schedule and source come from a YAML settings file (COSTWATCH_CONFIG), the
 * endpoints from the environment. A daily schedule every two seconds stands in for 00:30.
 */
describe('collector service: the scheduled daily collection', () => {
  const entry = resolve(__dirname, '../../../dist/services/collector/src/main.js');
  const api = new FakeBillingApi();
  const prefix = `${uniqueName('sched')}.`;
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let base: string;
  const startedAt = Date.now();

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    const apiUrl = await api.start();
    dir = mkdtempSync(join(tmpdir(), 'collector-schedule-'));
    const settings = join(dir, 'settings.yaml');
    writeFileSync(
      settings,
      [
        'common:',
        '  LOG_LEVEL: info',
        'collector:',
        '  COLLECTOR_SOURCES: [kakaocloud]',
        '  SCHEDULE_ENABLED: true',
        "  DAILY_CRON: '*/2 * * * * *'",
        "  HOURLY_CRON: '0 0 1 1 *'",
        `  KAKAOCLOUD_BASE_URL: ${apiUrl}`,
        `  KAKAOCLOUD_CREDENTIAL_ID: ${CREDENTIAL_ID}`,
        `  KAKAOCLOUD_CREDENTIAL_SECRET: ${CREDENTIAL_SECRET}`,
        '  RECORDS_PARTITIONS: 2',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [entry], {
      env: { PATH: process.env['PATH'] ?? '', COSTWATCH_CONFIG: settings, HTTP_PORT: String(port), KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => ((await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined),
      `collector readiness (output: ${output.slice(-1500)})`,
      60_000,
      250,
    );
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await api.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fires on its schedule, collects yesterday from the source and publishes its records, counting the run', async () => {
    // Two ticks at least: a repeated run republishes the same record ids (nothing is counted twice downstream).
    await waitFor(() => (api.dates.length >= 2 ? true : undefined), `two scheduled runs (output: ${output.slice(-1500)})`, 30_000, 200);
    const yesterday = new Set([ymdOf(startedAt - DAY_MS), ymdOf(Date.now() - DAY_MS)]);
    expect(api.dates.every((date) => yesterday.has(date))).toBe(true);

    const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'scheduled-collection-test', logger: pino({ level: 'silent' }) });
    const messages = await collectMessages(kafka, topicNames(prefix).billingRecords, 4);
    const records = messages.map((m) => billingRecordEventSchema.parse(JSON.parse(m.value?.toString('utf8') ?? '')).payload);
    const day = api.dates[0]!;
    const dayStart = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T00:00:00.000Z`;
    const sameDay = records.filter((r) => r.periodStart === dayStart);
    // Each run publishes the day again with the same deterministic ids, so downstream counts it once.
    const distinct = [...new Map(sameDay.map((r) => [r.id, r])).values()];
    expect(sameDay.length).toBeGreaterThanOrEqual(4);
    expect(distinct.map((r) => [r.source, r.granularity, r.serviceId, r.amount, r.currency]).sort()).toEqual([
      ['kakaocloud', 'DAILY', 'storage', '3300', 'KRW'],
      ['kakaocloud', 'DAILY', 'vm', '120500.25', 'KRW'],
    ]);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(metrics, 'costwatch_collection_runs_total', ['source="kakaocloud"', 'granularity="DAILY"', 'result="success"'])).toBeGreaterThanOrEqual(2);
    expect(metricValue(metrics, 'costwatch_job_runs_total', ['job_name="daily-collection"', 'result="success"'])).toBeGreaterThanOrEqual(2);
    expect(metricValue(metrics, 'costwatch_collector_records_published_total', ['source="kakaocloud"'])).toBeGreaterThanOrEqual(4);
    // The credential secret (given in the file) never reaches the logs.
    expect(output).not.toContain(CREDENTIAL_SECRET);
  });
});
