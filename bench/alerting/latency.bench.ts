/**
 * Record-published → Alertmanager-POST latency through the running pipeline (not a test:
 * figures vary by machine).
 *
 *   npm run build && node dist/bench/alerting/latency.bench.js [--series 5000] [--rate 5000] [--hours 20] [--spikes 10] [--profile 1] [--split-baseline 1]
 *
 * Starts baseline, detector and notifier as processes on the local stack (tools/infra) with
 * a fresh topic prefix and database. Warm-up (not measured): one day of history for every
 * series plus two hours of the next day, so the day is closed, baselines exist, the
 * detector has them cached, the archiver has caught up and the notifier has handled the
 * daily totals. Measured: `--hours` further hours published at `--rate`
 * records/s, each hour with `--spikes` series at 8× their level. The notifier sends every
 * alert to the real Alertmanager and to a local node:http recorder (an extra
 * ALERTMANAGER_URL); the latency of a spike is the recorder's arrival time of its firing
 * alert minus the moment its hour's records were handed to the Kafka producer. It also
 * prints each process's share of a core (services, local servers, itself) in both phases;
 * `--profile 1` writes the services' V8 CPU profiles to `bench-profiles/<run>/<service>/`;
 * `--split-baseline 1` runs the baseline service's aggregator and archiver as two processes
 * (BASELINE_ROLES).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pino from 'pino';
import { MongoClient } from 'mongodb';
import { BILLING_RECORD_EVENT, MS, billingRecordEventSchema, billingRecordId, canonicalAmount, createEnvelope, seriesKey, topicNames, type BillingRecord, type TopicNames } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import type { Kafka } from 'kafkajs';
import { infraEndpoints } from '../infra-endpoints';
import { ProcessCpu, formatCpu, infraPids } from '../process-cpu';

interface Options {
  series: number;
  rate: number;
  hours: number;
  spikes: number;
  profile: number;
  splitBaseline: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { series: 5_000, rate: 5_000, hours: 20, spikes: 10, profile: 0, splitBaseline: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in options) || !Number.isFinite(value) || value < 0 || (value === 0 && key !== 'profile' && key !== 'splitBaseline')) throw new Error(`usage: --series N --rate N --hours N --spikes N --profile 0|1 --split-baseline 0|1 (bad "${argv[i]} ${argv[i + 1]}")`);
    options[key] = value;
  }
  if (options.hours > 21) throw new Error('--hours is at most 21 (the measured hours stay within one day)');
  return options;
}

const START_MS = Date.UTC(2026, 5, 1);
const root = resolve(__dirname, '../../..');


/** Records the first firing POST per series (`domain|project|service`), in wall-clock ms (the broker's clock too). */
function startRecorder(): Promise<{ server: Server; url: string; firstFiring: Map<string, number>; posts: () => number }> {
  const firstFiring = new Map<string, number>();
  let posts = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = Date.now();
      posts += 1;
      try {
        const alerts = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<{ labels: Record<string, string>; endsAt?: string }>;
        for (const alert of alerts) {
          const key = `${alert.labels['domain']}|${alert.labels['project']}|${alert.labels['service']}`;
          const firing = !alert.endsAt || Date.parse(alert.endsAt) > Date.now();
          if (firing && !firstFiring.has(key)) firstFiring.set(key, at);
        }
      } catch {
        // not an alert batch; ignore
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolveStart) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolveStart({ server, url: `http://127.0.0.1:${port}`, firstFiring, posts: () => posts });
    }),
  );
}

function startService(service: string, label: string, env: Record<string, string>, profileDir: string | undefined): ChildProcess {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir, label)}`] : [];
  const child = spawn(process.execPath, [...profile, resolve(root, `dist/services/${service}/src/main.js`)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Snapshots the detector has judged (every verdict but "stale"), from its /metrics. */
/** Messages a service's consumers of `topic` have handled, from its /metrics. */
async function consumedMessages(port: number, topic: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let consumed = 0;
  for (const match of text.matchAll(/^costwatch_messages_consumed_total\{([^}]*)\} (\S+)$/gm)) {
    if (match[1]?.includes(`topic="${topic}"`)) consumed += Number(match[2]);
  }
  return consumed;
}

async function judgedSnapshots(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let judged = 0;
  for (const match of text.matchAll(/^costwatch_snapshots_judged_total\{[^}]*verdict="([^"]+)"[^}]*\} (\S+)$/gm)) {
    if (match[1] !== 'stale') judged += Number(match[2]);
  }
  return judged;
}

/**
 * Where a spike's time goes, from the broker append times of the messages it caused: record
 * appended to billing.records.v1 → its hourly snapshot appended (aggregator) → its firing
 * anomaly appended (detector) → its first firing POST received (notifier). Also the whole
 * path from the append, which leaves out the load generator's own publishing time.
 */
async function stageBreakdown(kafka: Kafka, topics: TopicNames, groupId: string, spikes: ReadonlyMap<string, { sentMs: number; hour: string }>, postedAt: ReadonlyMap<string, number>): Promise<string[]> {
  const recordAt = new Map<string, number>();
  const snapshotAt = new Map<string, number>();
  const anomalyAt = new Map<string, number>();
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.billingRecords, topics.hourlySnapshots, topics.anomalies], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      const event = JSON.parse(message.value?.toString('utf8') ?? '{}') as { payload?: Record<string, unknown> & { series?: Record<string, unknown> } };
      const payload = event.payload ?? {};
      const series = topic === topics.anomalies ? (payload.series ?? {}) : payload;
      const key = `${String(series['domainId'])}|${String(series['projectId'])}|${String(series['serviceId'])}`;
      const spike = spikes.get(key);
      if (!spike) return Promise.resolve();
      const at = Number(message.timestamp);
      if (topic === topics.billingRecords && String(payload['periodStart']).slice(0, 13) === spike.hour) recordAt.set(key, at);
      if (topic === topics.hourlySnapshots && `${String(payload['date'])}T${String(payload['hour']).padStart(2, '0')}` === spike.hour) snapshotAt.set(key, at);
      if (topic === topics.anomalies && payload['state'] === 'firing' && !anomalyAt.has(key)) anomalyAt.set(key, at);
      return Promise.resolve();
    },
  });
  await waitUntil("the spikes' records, snapshots and anomalies", () => Promise.resolve(recordAt.size >= spikes.size && snapshotAt.size >= spikes.size && anomalyAt.size >= spikes.size), 60_000).catch(() => undefined);
  await consumer.disconnect();
  const stage = (name: string, from: (key: string) => number | undefined, to: (key: string) => number | undefined): string => {
    const values = [...spikes.keys()].flatMap((key) => {
      const start = from(key);
      const end = to(key);
      return start === undefined || end === undefined ? [] : [end - start];
    });
    values.sort((a, b) => a - b);
    return `  ${name} (ms): p50 ${percentile(values, 50).toFixed(0)}, p90 ${percentile(values, 90).toFixed(0)}, p99 ${percentile(values, 99).toFixed(0)} (n = ${values.length})`;
  };
  return [
    'stages, from broker append times (ms resolution):',
    stage('record handed to the producer → appended (load generator)', (k) => spikes.get(k)?.sentMs, (k) => recordAt.get(k)),
    stage('record appended → snapshot appended (aggregator)', (k) => recordAt.get(k), (k) => snapshotAt.get(k)),
    stage('snapshot → anomaly appended (detector)', (k) => snapshotAt.get(k), (k) => anomalyAt.get(k)),
    stage('anomaly → Alertmanager POST received (notifier)', (k) => anomalyAt.get(k), (k) => postedAt.get(k)),
    stage('record appended → Alertmanager POST received (the pipeline)', (k) => recordAt.get(k), (k) => postedAt.get(k)),
  ];
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const stack = infraEndpoints(root);
  const run = `bench-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const prefix = `${run}.`;
  const topics = topicNames(prefix);
  const dbName = run.replace(/-/g, '_');
  const domainId = run;
  const recorder = await startRecorder();
  const profileDir = options.profile ? resolve(root, 'bench-profiles', run) : undefined;

  const kafka = createKafka({ brokers: (stack['KAFKA_BROKERS'] ?? '').split(','), clientId: 'latency-bench', logger: pino({ level: 'silent' }) });
  // Broker append times on every topic: the stage breakdown reads when each message was
  // appended, on the broker's clock, whatever the producer's event loop was doing.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topics.billingRecords, topics.hourlySnapshots, topics.dailyTotals, topics.anomalies].map((topic) => ({ topic, numPartitions: 6, replicationFactor: -1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] })),
  });
  await admin.disconnect();
  await ensureTopics(kafka, [
    { topic: topics.billingRecords, numPartitions: 6 },
    { topic: topics.hourlySnapshots, numPartitions: 6 },
    { topic: topics.dailyTotals, numPartitions: 6 },
    { topic: topics.anomalies, numPartitions: 6 },
  ]);
  const publisher = new EventPublisher(kafka);
  await publisher.connect();

  const common = { LOG_LEVEL: 'warn', KAFKA_BROKERS: stack['KAFKA_BROKERS'] ?? '', KAFKA_TOPIC_PREFIX: prefix, MONGO_URL: stack['MONGO_URL'] ?? '', MONGO_DB: dbName };
  const baselineEnv = {
    ...common,
    S3_ENDPOINT: stack['S3_ENDPOINT'] ?? '',
    S3_REGION: stack['S3_REGION'] ?? 'us-east-1',
    S3_ACCESS_KEY_ID: stack['S3_ACCESS_KEY_ID'] ?? '',
    S3_SECRET_ACCESS_KEY: stack['S3_SECRET_ACCESS_KEY'] ?? '',
    S3_BUCKET: run,
    AGGREGATOR_GROUP_ID: `${run}-aggregator`,
    ARCHIVER_GROUP_ID: `${run}-archiver`,
    DAY_CLOSE_GRACE_HOURS: '0',
  };
  // One baseline process with both consumer groups, or (--split-baseline 1) one per role.
  const processes: Array<{ label: string; service: string; port: number; env: Record<string, string> }> = [
    ...(options.splitBaseline
      ? [
          { label: 'aggregator', service: 'baseline', port: 18591, env: { ...baselineEnv, BASELINE_ROLES: 'aggregator' } },
          { label: 'archiver', service: 'baseline', port: 18594, env: { ...baselineEnv, BASELINE_ROLES: 'archiver' } },
        ]
      : [{ label: 'baseline', service: 'baseline', port: 18591, env: baselineEnv }]),
    { label: 'detector', service: 'detector', port: 18592, env: { ...common, DETECTOR_GROUP_ID: `${run}-detector`, DETECTION_FIRST_SEEN_MIN: 'off', DETECTION_PENDING_RECHECK_MS: '100' } },
    {
      label: 'notifier',
      service: 'notifier',
      port: 18593,
      env: {
        ...common,
        KAFKA_GROUP_ID: `${run}-notifier`,
        ALERTMANAGER_URLS: `${stack['ALERTMANAGER_URL'] ?? ''},${recorder.url}`,
        SYSLOG_HOST: stack['SYSLOG_HOST'] ?? '127.0.0.1',
        SYSLOG_PORT: stack['SYSLOG_PORT'] ?? '514',
        SYSLOG_PROTOCOL: 'udp',
      },
    },
  ];
  const detectorPort = 18592;
  const notifierPort = 18593;
  const children = processes.map(({ label, service, port, env }) => ({ label, port, child: startService(service, label, { ...env, HTTP_PORT: String(port) }, profileDir) }));
  const mongo = new MongoClient(stack['MONGO_URL'] ?? '');
  try {
    for (const { label, port } of children) {
      await waitUntil(`${label} ready`, async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok, 60_000);
    }
    const levels = Array.from({ length: options.series }, (_, i) => 1 + (i % 50));
    const hourRecords = (hour: number, spiked: ReadonlySet<number>): BillingRecord[] => {
      const periodStart = new Date(START_MS + hour * MS.hour).toISOString();
      const periodEnd = new Date(START_MS + (hour + 1) * MS.hour).toISOString();
      return levels.map((level, i) => {
        const identity = { source: 'synthetic' as const, domainId, projectId: `p${Math.floor(i / 100)}`, serviceId: `s${i % 100}`, periodStart, granularity: 'HOURLY' as const, currency: 'USD' };
        const value = level * (1 + ((i * 7919 + hour * 104729) % 1000) / 25_000 - 0.02) * (spiked.has(i) ? 8 : 1);
        return { ...identity, id: billingRecordId(identity), serviceName: `Service ${i % 100}`, periodEnd, amount: canonicalAmount(value.toFixed(6)), collectedAt: periodEnd };
      });
    };
    const send = async (records: readonly BillingRecord[]): Promise<void> => {
      for (let i = 0; i < records.length; i += 500) {
        const chunk = records.slice(i, i + 500);
        await publisher.publish(topics.billingRecords, billingRecordEventSchema, chunk.map((record) => ({ key: seriesKey(record), event: createEnvelope(BILLING_RECORD_EVENT, 'latency-bench', record) })));
      }
    };

    const pids: Record<string, number> = { ...infraPids(root), 'load generator': process.pid };
    for (const { label, child } of children) if (child.pid) pids[label] = child.pid;

    // Warm-up: day 0 and hours 0–1 of day 1, as fast as the pipeline takes them.
    const warmCpu = new ProcessCpu(pids);
    warmCpu.start();
    const warmStarted = Date.now();
    for (let hour = 0; hour < 26; hour += 1) await send(hourRecords(hour, new Set()));
    await waitUntil('the detector to judge the warm-up', async () => (await judgedSnapshots(detectorPort)) >= 26 * options.series, 600_000);
    // Closing the first day also made a daily total per series for the notifier and a day
    // file for the archiver: the measured hours start once those are done too, so they
    // measure the steady state, not the once-a-day close.
    const baselinePorts = children.filter(({ label }) => label !== 'detector' && label !== 'notifier').map(({ port }) => port);
    await waitUntil('the notifier to handle the daily totals', async () => (await consumedMessages(notifierPort, topics.dailyTotals)) >= options.series, 600_000);
    await waitUntil(
      'the archiver to archive the warm-up',
      async () => (await Promise.all(baselinePorts.map((port) => consumedMessages(port, topics.billingRecords)))).reduce((a, b) => a + b, 0) >= 2 * 26 * options.series,
      600_000,
    );
    const warmSeconds = (Date.now() - warmStarted) / 1000;
    process.stdout.write(`warm-up: ${26 * options.series} records in ${warmSeconds.toFixed(1)} s = ${((26 * options.series) / warmSeconds).toFixed(0)} records/s through every stage (the first day closed, judged, archived and its daily totals notified)\n${formatCpu(warmCpu.stop())}\n`);

    // Measured: `hours` hours at `rate` records/s, paced per 500-record chunk.
    /** Per spiked series: when its record was handed to the producer (wall clock) and its spiked hour (`YYYY-MM-DDTHH`). */
    const spikes = new Map<string, { sentMs: number; hour: string }>();
    let spikeIndex = 0;
    // Built before the clock starts: making records is the source's work, not the pipeline's.
    const measuredHours = Array.from({ length: options.hours }, (_, h) => {
      const spiked = new Set<number>();
      while (spiked.size < options.spikes) spiked.add((spikeIndex++ * 7) % options.series);
      return { spiked, hour: new Date(START_MS + (26 + h) * MS.hour).toISOString().slice(0, 13), records: hourRecords(26 + h, spiked) };
    });
    const measuredCpu = new ProcessCpu(pids);
    measuredCpu.start();
    const measuredStarted = performance.now();
    let published = 0;
    for (const { spiked, hour, records } of measuredHours) {
      for (let i = 0; i < records.length; i += 500) {
        const chunk = records.slice(i, i + 500);
        const due = measuredStarted + (published / options.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const sentMs = Date.now();
        chunk.forEach((record, j) => {
          if (spiked.has(i + j)) spikes.set(`${record.domainId}|${record.projectId}|${record.serviceId}`, { sentMs, hour });
        });
        await send(chunk);
        published += chunk.length;
      }
    }
    const seconds = (performance.now() - measuredStarted) / 1000;
    const measuredShares = measuredCpu.stop();
    await waitUntil('every spike alert', () => Promise.resolve([...spikes.keys()].every((key) => recorder.firstFiring.has(key))), 120_000).catch((error: unknown) => {
      process.stdout.write(`${error instanceof Error ? error.message : String(error)}: ${[...spikes.keys()].filter((k) => !recorder.firstFiring.has(k)).length} missing\n`);
    });
    const latencies = [...spikes].flatMap(([key, { sentMs }]) => {
      const arrived = recorder.firstFiring.get(key);
      return arrived === undefined ? [] : [arrived - sentMs];
    });
    latencies.sort((a, b) => a - b);
    const stages = await stageBreakdown(kafka, topics, `${run}-probe`, spikes, recorder.firstFiring);
    process.stdout.write(
      [
        `series: ${options.series}, measured hours: ${options.hours}, spikes: ${spikes.size}`,
        `offered load: ${published} records in ${seconds.toFixed(1)} s = ${(published / seconds).toFixed(0)} records/s (target ${options.rate})`,
        `record published → Alertmanager POST (ms): p50 ${percentile(latencies, 50).toFixed(0)}, p90 ${percentile(latencies, 90).toFixed(0)}, p99 ${percentile(latencies, 99).toFixed(0)}, max ${(latencies[latencies.length - 1] ?? Number.NaN).toFixed(0)} (n = ${latencies.length})`,
        `target p99 < 1000 ms: ${percentile(latencies, 99) < 1000 ? 'met' : 'missed'}`,
        ...stages,
        `recorder POSTs: ${recorder.posts()}`,
        `while publishing the measured hours: ${formatCpu(measuredShares)}`,
      ].join('\n') + '\n',
    );
  } finally {
    for (const { child } of children) child.kill('SIGTERM');
    await Promise.all(children.map(({ child }) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))));
    await mongo.db(dbName).dropDatabase().catch(() => undefined);
    await mongo.close();
    await publisher.disconnect();
    recorder.server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
