// The demo behind `npm start`: runs a labelled synthetic billing history through the running
// pipeline (collector CLI → Kafka → baseline → detector → notifier), waits until every stage
// has caught up, then prints what was detected against what was injected and where the
// alerts went. Endpoints come from the environment (`eval "$(node tools/infra/infra.mjs env)"`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import pino from 'pino';
import { MS, deadLetterTopic, topicNames } from '@costwatch/contracts';
import { createKafka, partitionLag } from '@costwatch/kafka';
import { connectMongo } from '@costwatch/mongo';
import { SyntheticBilling, type AnomalyLabel, type SyntheticOptions } from '@costwatch/synthetic';
import { deliveryFailures, describeChannels, probeSyslog, readAlertmanager } from './channel-status';
import { loadDemoConfig } from './demo.config';

const root = resolve(__dirname, '..', '..', '..');
const config = (() => {
  try {
    return loadDemoConfig();
  } catch (error) {
    // Bad or missing settings name themselves (run through `npm start`, or eval the infra env first).
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return process.exit(78);
  }
})();
const start = config.SYNTHETIC_START;
const days = config.SYNTHETIC_DAYS;
const from = start.replace(/-/g, '');
const to = new Date(Date.parse(`${start}T00:00:00Z`) + (days - 1) * MS.day).toISOString().slice(0, 10).replace(/-/g, '');
// The run directory of this stack, as tools/infra and scripts/services.mjs choose it.
const runDir = join(config.COSTWATCH_RUN_DIR ?? join(config.COSTWATCH_CACHE_DIR ?? join(homedir(), '.cache', 'costwatch'), 'run'), 'demo');
const labelsFile = join(runDir, 'labels.json');
const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
const portBase = config.COSTWATCH_SERVICES_PORT_BASE;
const servicePorts = { collector: portBase, baseline: portBase + 1, detector: portBase + 2, notifier: portBase + 3 } as const;
const notifierMetrics = `http://127.0.0.1:${servicePorts.notifier}/metrics`;

/** The generator's settings, as the collector reads them (see collector.config.ts). */
const syntheticOptions = (): Partial<SyntheticOptions> => ({
  seed: config.SYNTHETIC_SEED,
  start,
  days,
  domains: config.SYNTHETIC_DOMAINS,
  projectsPerDomain: config.SYNTHETIC_PROJECTS_PER_DOMAIN,
  servicesPerProject: config.SYNTHETIC_SERVICES_PER_PROJECT,
  anomalies: config.SYNTHETIC_ANOMALIES,
});

interface AnomalyDocument {
  _id: string;
  state: 'firing' | 'resolved';
  rule: string;
  severity: string;
  series: { domainId: string; projectId: string; serviceId: string; serviceName: string; currency: string };
  window: { start: string; end: string };
  granularity?: 'hourly' | 'daily';
  kind?: 'cost' | 'collection-gap';
  observed: string;
  expected: string;
  contributors?: Array<{ dimension: string; value: string; share: number }>;
}

function collect(): Promise<void> {
  const cli = join(root, 'dist/services/collector/src/cli/main.js');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, 'collect', '--source', 'synthetic', '--from', from, '--to', to, '--labels', labelsFile], { stdio: 'inherit', env: process.env });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`collect exited with ${code}`))));
  });
}

/** Messages on the anomalies' dead-letter topic: notices whose delivery retries ran out (0 before the topic exists). */
async function deadLetteredNotices(): Promise<number> {
  const kafka = createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: 'costwatch-demo', logger: pino({ level: 'silent' }) });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(deadLetterTopic(topics.anomalies)).catch(() => []);
    return offsets.reduce((n, o) => n + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

interface Settled {
  seconds: number;
  /** Stages still behind when the demo stopped waiting (empty: caught up). */
  behind: string[];
}

/**
 * Waits until every consumer group has committed everything in front of it, twice in a row.
 * It stops waiting, and the summary says so, after DEMO_SETTLE_TIMEOUT_S, or when only the
 * notifier is behind and has not moved for a minute (a channel is down and it is retrying).
 */
async function settle(): Promise<Settled> {
  const kafka = createKafka({ brokers: [...config.KAFKA_BROKERS], clientId: 'costwatch-demo', logger: pino({ level: 'silent' }) });
  const admin = kafka.admin();
  await admin.connect();
  const stages: Array<[string, string, string]> = [
    ['aggregator', config.AGGREGATOR_GROUP_ID, topics.billingRecords],
    ['archiver', config.ARCHIVER_GROUP_ID, topics.billingRecords],
    ['detector', config.DETECTOR_GROUP_ID, topics.hourlySnapshots],
    ['detector (daily)', `${config.DETECTOR_GROUP_ID}-daily`, topics.dailyTotals],
    ['notifier', `${config.KAFKA_GROUP_ID}.anomalies`, topics.anomalies],
  ];
  const started = Date.now();
  let quiet = 0;
  let behind: string[] = [];
  let notifierStuck = { lag: -1, since: Date.now() };
  try {
    while (quiet < 2) {
      if (Date.now() - started > config.DEMO_SETTLE_TIMEOUT_S * 1000) break;
      const lags = await Promise.all(
        stages.map(async ([name, groupId, topic]) => ({ name, lag: [...(await partitionLag(admin, groupId, topic)).values()].reduce((n, l) => n + l, 0) })),
      );
      behind = lags.filter((l) => l.lag > 0).map((l) => `${l.name} ${l.lag}`);
      quiet = behind.length === 0 ? quiet + 1 : 0;
      process.stderr.write(`\r  waiting for the pipeline: ${behind.length === 0 ? 'caught up' : `${behind.join(', ')} messages behind`}`.padEnd(100));
      const notifierLag = lags.find((l) => l.name === 'notifier')?.lag ?? 0;
      if (notifierLag !== notifierStuck.lag) notifierStuck = { lag: notifierLag, since: Date.now() };
      if (behind.length === 1 && notifierLag > 0 && Date.now() - notifierStuck.since > 60_000) break;
      await new Promise((r) => setTimeout(r, 1_500));
    }
    process.stderr.write('\n');
    return { seconds: (Date.now() - started) / 1000, behind: quiet >= 2 ? [] : behind };
  } finally {
    await admin.disconnect();
  }
}

const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }, slackMs: number) =>
  Date.parse(a.start) < Date.parse(b.end) + slackMs && Date.parse(a.end) > Date.parse(b.start);
/** The anomaly is on the labelled series, or on its project's or domain's total (a roll-up: serviceId "*"). */
const sameSeries = (a: AnomalyDocument['series'], l: AnomalyLabel) =>
  a.domainId === l.domainId && (a.projectId === l.projectId || a.projectId === '*') && (a.serviceId === l.serviceId || a.serviceId === '*');
const levelOf = (a: AnomalyDocument): string => (a.kind === 'collection-gap' ? 'collection gap' : a.series.projectId === '*' ? 'domain total' : a.series.serviceId === '*' ? 'project total' : 'service');
const count = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
};

interface RunStart {
  at: number;
  syslogOffset: number;
  failures: Record<string, number> | undefined;
  deadLettered: number;
}

async function summarize(wallSeconds: number, settled: Settled, run: RunStart): Promise<void> {
  const runStarted = run.at;
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as AnomalyLabel[];
  const period = { start: `${start}T00:00:00.000Z`, end: new Date(Date.parse(`${start}T00:00:00Z`) + days * MS.day).toISOString() };
  const dbName = config.MONGO_DB;
  const { client, db } = await connectMongo(config.MONGO_URL, dbName);
  try {
    // Only this history's domains, in case the database also holds other data. Besides the
    // generated usage series, purchases, credits and tax appear as lines of their own ("-reserved", "-credit", "tax").
    const generated = new SyntheticBilling(syntheticOptions()).series;
    const ourDomains = new Set(generated.map((s) => s.domainId));
    const anomalies = (await db.collection<AnomalyDocument>('billing_anomalies').find({}).toArray()).filter((a) => overlaps(a.window, period, 0) && ourDomains.has(a.series.domainId));
    // The history's first collection is quiet: a first-seen notice only for a series new in a known project or domain.
    const onboarding = anomalies.filter((a) => a.rule.endsWith('first-seen') && a.window.start === period.start);
    const detected = labels.filter((l) => anomalies.some((a) => sameSeries(a.series, l) && overlaps(a.window, l, MS.day)));
    const explained = anomalies.filter((a) => labels.some((l) => sameSeries(a.series, l) && overlaps(a.window, l, MS.day)));
    const other = anomalies.filter((a) => !explained.includes(a) && !onboarding.includes(a));
    const firing = anomalies.filter((a) => a.state === 'firing');
    const delivered = await db.collection<{ channel: string; kind: string; at: Date }>('notification_log').find({ type: 'delivered' }).toArray();
    const suppressed = await db.collection<{ reason: string }>('notification_log').find({ type: 'suppressed' }).toArray();
    // Records held by the aggregator: each day document counts its records (newest restatement per id).
    const dayDocuments = await db.collection<{ domainId: string; recordCount: number }>('billing_daily').find({}, { projection: { domainId: 1, recordCount: 1 } }).toArray();
    const records = dayDocuments.filter((d) => ourDomains.has(d.domainId)).reduce((sum, d) => sum + d.recordCount, 0);

    // A channel that is down is named in the summary, never a reason for it to fail.
    const alertmanagerUrl = config.ALERTMANAGER_URL.replace(/\/$/, '');
    const alertmanager = await readAlertmanager(alertmanagerUrl, 'alertname=~"BillingCostAnomaly|BillingCollectionGap"');
    const syslog = await probeSyslog(config.SYSLOG_HOST, config.SYSLOG_PORT, config.SYSLOG_PROTOCOL);
    const channels = describeChannels({ alertmanager: alertmanager.probe, syslog }, run.failures, await deliveryFailures(notifierMetrics));
    const deadLettered = (await deadLetteredNotices()) - run.deadLettered;
    const active = alertmanager.alerts.filter(
      (a) => ourDomains.has(a.labels['domain'] ?? '') && overlaps({ start: a.startsAt, end: new Date(Date.parse(a.startsAt) + 1).toISOString() }, period, 0),
    );
    // What rsyslog wrote during this run (the file also holds earlier runs' lines).
    const syslogFile = config.SYSLOG_FILE;
    const newLines = (existsSync(syslogFile) ? readFileSync(syslogFile) : Buffer.alloc(0)).subarray(run.syslogOffset).toString('utf8').split('\n');
    const noticeLines = newLines.filter((line) => /BILLING_(ANOMALY|RESOLVED)/.test(line) && ourDomains.has(/domain="([^"]+)"/.exec(line)?.[1] ?? ''));
    const totalLines = newLines.filter((line) => line.includes('BILLING_DAILY_TOTAL')).length;
    const syslogThisRun = delivered.filter((d) => d.channel === 'syslog' && d.at.getTime() >= runStarted).length;

    const out = (line = '') => process.stdout.write(`${line}\n`);
    out();
    const caughtUp =
      settled.behind.length === 0
        ? `pipeline caught up ${settled.seconds.toFixed(0)} s after the last record was published`
        : `stopped waiting after ${settled.seconds.toFixed(0)} s with ${settled.behind.join(', ')} messages still behind`;
    out(`costwatch demo: ${days} days of synthetic billing (${start} … ${to.slice(0, 4)}-${to.slice(4, 6)}-${to.slice(6)}), ${records} records stored, in ${wallSeconds.toFixed(0)} s (${caughtUp})`);
    out(`detector preset: ${config.DETECTION_PRESET}`);
    if (channels.trouble.length > 0) out(`NOTE: ${channels.trouble.join('; ')}. The figures below are what reached each channel.`);
    out();
    out(`Injected anomalies: ${labels.length} (${count(labels, (l) => l.kind)})`);
    out(`  detected: ${detected.length} of ${labels.length}` + (detected.length < labels.length ? `; missed: ${labels.filter((l) => !detected.includes(l)).map((l) => `${l.kind} on ${l.projectId}/${l.serviceId} at ${l.start}`).join('; ')}` : ''));
    out(`Anomalies raised: ${anomalies.length} on ${generated.length} series (usage, purchase, credit and tax lines) (${count(anomalies, (a) => a.severity)})`);
    out(`  by what was judged: ${count(anomalies, (a) => `${a.granularity ?? 'hourly'} ${levelOf(a)}`)}`);
    out(`  ${explained.length} match an injected anomaly (on the series or its project or domain total); ${onboarding.length} are first-seen notices on the first day; ${other.length} other (${count(other, (a) => a.rule)})`);
    const topShare = (a: AnomalyDocument) => a.contributors?.[0]?.share ?? 0;
    const rollup = anomalies.filter((a) => a.series.serviceId === '*' && topShare(a) > 0).sort((a, b) => topShare(b) - topShare(a))[0];
    if (rollup) {
      const what = rollup.series.projectId === '*' ? `domain ${rollup.series.domainId}` : `project ${rollup.series.projectId} of ${rollup.series.domainId}`;
      const drivers = (rollup.contributors ?? []).slice(0, 3).map((c) => `${c.dimension}=${c.value} ${Math.round(c.share * 100)}%`).join(', ');
      out(`  e.g. ${what}, ${rollup.granularity ?? 'hourly'} total of ${rollup.window.start.slice(0, 10)}: ${rollup.observed} ${rollup.series.currency} vs expected ${rollup.expected}; top contributors ${drivers}`);
    }
    out(`  still firing at the end of the period: ${firing.length}`);
    out();
    out(`Notices delivered (all runs, notification_log): ${count(delivered, (d) => `${d.channel}/${d.kind}`)}`);
    out(`  suppressed before delivery: ${count(suppressed, (s) => s.reason)}`);
    out(
      alertmanager.probe.up
        ? `  Alertmanager now: ${active.length} active BillingCostAnomaly/BillingCollectionGap alerts for this period (MongoDB: ${firing.length} firing)`
        : `  Alertmanager now: not read, it is down (${alertmanager.probe.reason}); MongoDB: ${firing.length} firing`,
    );
    const key = (domain?: string, project?: string, service?: string, rule?: string) => `${domain}/${project}/${service} ${rule}`;
    const firingKeys = new Set(firing.map((a) => key(a.series.domainId, a.series.projectId, a.series.serviceId, a.rule)));
    const held = active.filter((a) => !firingKeys.has(key(a.labels['domain'], a.labels['project'], a.labels['service'], a.labels['rule'])));
    if (alertmanager.probe.up && held.length > 0) {
      out(`    ${held.length} resolved in MongoDB but still active in Alertmanager: ${held.map((a) => key(a.labels['domain'], a.labels['project'], a.labels['service'], a.labels['rule'])).join('; ')}`);
      out('    (a flapping series is held at its last announced state until it has been stable for NOTIFY_FLAP_WINDOW)');
    }
    out(
      `  syslog (this run): ${noticeLines.length} BILLING_ANOMALY/BILLING_RESOLVED lines (MongoDB: ${syslogThisRun} syslog deliveries), ${totalLines} BILLING_DAILY_TOTAL lines in ${syslogFile}` +
        (syslog.up ? '' : `; the receiver is down (${syslog.reason})`),
    );
    out('Channels now:');
    for (const line of channels.lines) out(line);
    if (deadLettered > 0) {
      out(`  ${deadLettered} notices ran out of delivery retries this run and wait on ${deadLetterTopic(topics.anomalies)}; once the channel is back, reprocess them with npm run collect -- reset-group (docs/replay.md)`);
    }
    out();
    out('Where to look:');
    out(`  Alertmanager  ${alertmanagerUrl}/#/alerts   (API: ${alertmanagerUrl}/api/v2/alerts)`);
    out(`  syslog        grep BILLING_ANOMALY ${syslogFile}`);
    out(`  MongoDB       ${config.MONGO_URL} database ${dbName}: billing_anomalies, notification_log, billing_daily, billing_baseline`);
    out(`  metrics       ${Object.entries(servicePorts).map(([name, port]) => `${name} http://127.0.0.1:${port}/metrics`).join('  ')}`);
    out(`  ground truth  ${labelsFile}`);
    out(`  report        npm run report -- --period monthly --date ${from} --out reports`);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(dirname(labelsFile), { recursive: true });
  const started = Date.now();
  const syslogFile = config.SYSLOG_FILE;
  const syslogOffset = existsSync(syslogFile) ? statSync(syslogFile).size : 0;
  const run: RunStart = { at: started, syslogOffset, failures: await deliveryFailures(notifierMetrics), deadLettered: await deadLetteredNotices() };
  process.stderr.write(`Publishing ${days} days of synthetic billing from ${start} through the collector…\n`);
  await collect();
  const settled = await settle();
  await summarize((Date.now() - started) / 1000, settled, run);
}

main().catch((error: unknown) => {
  process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
