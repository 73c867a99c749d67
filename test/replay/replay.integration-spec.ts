import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { billingRecordId, canonicalAmount, type BillingRecord } from '@costwatch/contracts';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { PipelineHarness, billingRecords, type SeriesSpec, type Spike } from '../e2e/pipeline-harness';

const DAYS = 21;
const START_MS = Date.UTC(2026, 1, 2); // a Monday
const FROM = '20260202';
const TO = '20260222';
const domainId = uniqueName('replay-dom');
const series: SeriesSpec[] = ['p1', 'p2'].flatMap((projectId) => [
  { projectId, serviceId: 'compute', serviceName: 'Virtual Machine', base: projectId === 'p1' ? 12 : 30 },
  { projectId, serviceId: 'storage', serviceName: 'Object Storage', base: 4 },
  { projectId, serviceId: 'network', serviceName: 'Network', base: 1.5 },
]);
/** The labelled period: three injected spikes on three series, on three days. */
const spikes: Spike[] = [
  { projectId: 'p1', serviceId: 'compute', hour: 14 * 24 + 9, factor: 6 },
  { projectId: 'p2', serviceId: 'storage', hour: 16 * 24 + 15, factor: 5 },
  { projectId: 'p2', serviceId: 'network', hour: 18 * 24 + 3, factor: 9 },
];
/** A daily-only series (as a KakaoCloud-style bill has): 3× on one day, judged on its daily total. */
const DAILY_SPIKE_DAY = 13;
const dailyRecords: BillingRecord[] = Array.from({ length: DAYS }, (_, day) => {
  const periodStart = new Date(START_MS + day * 86_400_000).toISOString();
  const identity = { source: 'kakaocloud' as const, domainId, projectId: 'p3', serviceId: 'ledger', periodStart, granularity: 'DAILY' as const, currency: 'USD' };
  const amount = 100 * (1 + 0.02 * Math.sin(day * 7.3)) * (day === DAILY_SPIKE_DAY ? 3 : 1);
  return { ...identity, id: billingRecordId(identity), serviceName: 'Ledger', periodEnd: new Date(START_MS + (day + 1) * 86_400_000).toISOString(), amount: canonicalAmount(amount.toFixed(4)), collectedAt: new Date(START_MS + DAYS * 86_400_000).toISOString() };
});
// Each day's daily record travels with that day's hourly records, as a collector would send them.
const records = billingRecords(domainId, series, START_MS, DAYS, spikes).flatMap((record, index, all) => {
  const day = Math.floor((Date.parse(record.periodStart) - START_MS) / 86_400_000);
  const next = all[index + 1];
  const lastOfDay = !next || Math.floor((Date.parse(next.periodStart) - START_MS) / 86_400_000) !== day;
  return lastOfDay ? [record, dailyRecords[day]!] : [record];
});
const label = (a: { series: { projectId: string; serviceId: string }; window: { start: string } }) => `${a.series.projectId}/${a.series.serviceId}@${a.window.start}`;
const spikeLabels = [
  ...spikes.map((s) => `${s.projectId}/${s.serviceId}@${new Date(START_MS + s.hour * 3_600_000).toISOString()}`),
  `p3/ledger@${new Date(START_MS + DAILY_SPIKE_DAY * 86_400_000).toISOString()}`,
].sort();
/** p1's total on compute's spike day (+14 %) and the domain's on the ledger's (+15 %); the other spikes move their totals by less than 10 %. */
const rollupLabels = [
  [`*/*@${new Date(START_MS + DAILY_SPIKE_DAY * 86_400_000).toISOString()}`, 'p3'],
  [`p1/*@${new Date(START_MS + 14 * 86_400_000).toISOString()}`, 'compute'],
];

interface AnomalyView {
  _id: string;
  state: string;
  series: { projectId: string; serviceId: string };
  window: { start: string; end: string };
  observed: string;
  expected: string;
  z: number | null;
  ratio: number | null;
  rule: string;
  severity: string;
  baselineWindow: unknown;
  granularity: string;
  contributors: Array<{ value: string }>;
}

/** The collector CLI as an operator runs it (`npm run build` first). */
function collectorCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const entry = resolve(__dirname, '../../dist/services/collector/src/cli/main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  return new Promise((done) => {
    const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

/**
 * Replay ≡ live: a labelled period processed live by one pipeline, then replayed from that
 * pipeline's S3 archive into a second, empty pipeline, gives the same anomalies; replaying
 * it again, or resetting the detector's group to the start, adds nothing anywhere.
 */
describe('replay for backfill', () => {
  // The seed rule: hourly spikes and the daily-only series' daily spike (z > 3 OR ratio > 2 on its daily total).
  const detector = { DETECTION_PRESET: 'seed' };
  const live = new PipelineHarness({ basePort: 18401, env: { detector } });
  const replayed = new PipelineHarness({ basePort: 18411, env: { detector } });
  const anomaliesOf = async (harness: PipelineHarness) =>
    (await harness.mongo.db.collection<AnomalyView>('billing_anomalies').find({}, { sort: { _id: 1 } }).toArray()).map(
      ({ _id, state, series: s, window, observed, expected, z, ratio, rule, severity, baselineWindow, granularity, contributors }) => ({ _id, state, series: { projectId: s.projectId, serviceId: s.serviceId }, window, observed, expected, z, ratio, rule, severity, baselineWindow, granularity, contributors }),
    );
  const notificationsOf = (harness: PipelineHarness) => harness.mongo.db.collection('notification_log').countDocuments({});
  /** The notifier's decisions (deterministic ids): what it noticed, suppressed, and the daily totals it wrote. */
  const decisionsOf = async (harness: PipelineHarness) =>
    (
      await harness.mongo.db
        .collection<{ _id: string; type: string; dailyTotal?: { date: string; projectId: string; serviceId: string; amount: string } }>('notification_log')
        .find({ type: { $in: ['notice', 'suppressed', 'daily_total'] } })
        .toArray()
    )
      .map((d) => (d.dailyTotal ? `${d.dailyTotal.date} ${d.dailyTotal.projectId}/${d.dailyTotal.serviceId} ${d.dailyTotal.amount}` : d._id))
      .sort();
  const cliEnv = (harness: PipelineHarness) => {
    const e = testEndpoints();
    return {
      KAFKA_BROKERS: e.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: harness.prefix,
      S3_ENDPOINT: e.s3.endpoint,
      S3_REGION: e.s3.region,
      S3_ACCESS_KEY_ID: e.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: e.s3.secretAccessKey,
      // Replay reads the live pipeline's archive.
      S3_BUCKET: live.bucket,
    };
  };
  /** Every stage of a pipeline has committed everything in front of it. */
  const settled = async (harness: PipelineHarness) => {
    for (const [group, topic] of [
      [harness.groups.aggregator, harness.topics.billingRecords],
      [harness.groups.archiver, harness.topics.billingRecords],
      [harness.groups.detector, harness.topics.hourlySnapshots],
      [`${harness.groups.detector}-daily`, harness.topics.dailyTotals],
      [`${harness.groups.notifier}.anomalies`, harness.topics.anomalies],
      [`${harness.groups.notifier}.daily-totals`, harness.topics.dailyTotals],
    ] as const) {
      await waitFor(async () => ((await harness.caughtUp(group, topic)) ? true : undefined), `${group} caught up on ${topic}`, 120_000, 500);
    }
  };
  let liveAnomalies: AnomalyView[] = [];

  beforeAll(async () => {
    // Both start even if one fails, so that afterAll stops every process either started.
    const started = await Promise.allSettled([live.start(), replayed.start()]);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
  }, 180_000);
  afterAll(async () => {
    if (process.env['DUMP_OUTPUT']) {
      for (const [pipeline, harness] of [['live', live], ['replayed', replayed]] as const) {
        for (const [name, p] of harness.services) process.stderr.write(`--- ${pipeline} ${name}\n${p.output().slice(-4000)}\n`);
      }
    }
    await Promise.all([live.stop(), replayed.stop()]);
  }, 60_000);

  it('live: the labelled spikes are detected', async () => {
    await live.publish(records);
    const resolvedSpikes = async () => {
      const resolved = new Set((await anomaliesOf(live)).filter((a) => a.state === 'resolved').map(label));
      return spikeLabels.every((spike) => resolved.has(spike)) ? true : undefined;
    };
    await waitFor(resolvedSpikes, 'the three hourly spikes and the daily one detected and resolved', 150_000, 1_000);
    await settled(live);
    liveAnomalies = await anomaliesOf(live);
    // The period's first day is the first collection of this history: no first-seen flood.
    expect(liveAnomalies.filter((a) => a.series.serviceId !== '*').map(label).sort()).toEqual(spikeLabels);
    // Roll-ups whose daily total moved past the floor, each naming the series that drove it.
    expect(liveAnomalies.filter((a) => a.series.serviceId === '*').map((a) => [label(a), a.contributors[0]?.value]).sort()).toEqual([...rollupLabels].sort());
    // The daily-only series is judged on its daily total only, and its spike day alone is anomalous.
    expect(liveAnomalies.filter((a) => a.granularity === 'daily' && a.series.serviceId !== '*').map((a) => [label(a), a.rule, a.window.end])).toEqual([
      [`p3/ledger@${new Date(START_MS + DAILY_SPIKE_DAY * 86_400_000).toISOString()}`, 'seed: z > 3 OR ratio > 2', new Date(START_MS + (DAILY_SPIKE_DAY + 1) * 86_400_000).toISOString()],
    ]);
  }, 240_000);

  it('replaying the period from the S3 archive into an empty pipeline, its detector killed -9 mid-stream, gives the same anomalies and notifications', async () => {
    const running = collectorCli(['replay-archive', '--from', FROM, '--to', TO], cliEnv(replayed));
    // Mid-stream: once the first anomaly is stored, with later spikes still to come.
    await waitFor(async () => ((await anomaliesOf(replayed)).length > 0 ? true : undefined), 'the first replayed anomaly', 150_000, 200);
    await replayed.kill('detector');
    const beforeRestart = (await anomaliesOf(replayed)).filter((a) => a.state === 'resolved').length;
    expect(beforeRestart).toBeLessThan(liveAnomalies.length);
    await replayed.startService('detector');
    const run = await running;
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`archive: published ${records.length} records`);
    await waitFor(
      async () => ((await anomaliesOf(replayed)).filter((a) => a.state === 'resolved').length >= liveAnomalies.length ? true : undefined),
      'as many resolved anomalies as live',
      150_000,
      1_000,
    );
    await settled(replayed);
    expect(await anomaliesOf(replayed)).toEqual(liveAnomalies);
    // An anomaly event the killed detector had published and publishes again after its restart
    // (its state was not saved yet) is suppressed as a duplicate of the notice it repeats: the
    // same notices are sent, none twice.
    const withoutRepeats = (decisions: string[]) => decisions.filter((d) => !(d.startsWith('suppressed:') && decisions.includes(`notice:${d.slice('suppressed:'.length)}`)));
    const [replayedDecisions, liveDecisions] = [await decisionsOf(replayed), await decisionsOf(live)];
    expect(withoutRepeats(replayedDecisions)).toEqual(withoutRepeats(liveDecisions));
    expect(replayedDecisions.filter((d) => d.startsWith('notice:'))).toEqual(liveDecisions.filter((d) => d.startsWith('notice:')));
  }, 240_000);

  it('replaying it a second time adds no document, no event and no notification', async () => {
    const before = { anomalies: await anomaliesOf(replayed), events: await replayed.messageCount(replayed.topics.anomalies), notifications: await notificationsOf(replayed) };
    const run = await collectorCli(['replay-archive', '--from', FROM, '--to', TO], cliEnv(replayed));
    expect(run.code).toBe(0);
    await waitFor(async () => ((await replayed.messageCount(replayed.topics.billingRecords)) === 2 * records.length ? true : undefined), 'the second replay on Kafka', 30_000, 250);
    await settled(replayed);
    await new Promise((done) => setTimeout(done, 2_000));
    expect(await anomaliesOf(replayed)).toEqual(before.anomalies);
    expect(await replayed.messageCount(replayed.topics.anomalies)).toBe(before.events);
    expect(await notificationsOf(replayed)).toBe(before.notifications);
  }, 240_000);

  it('reset-group refuses while the detector runs, then rewinds it; reprocessing adds nothing', async () => {
    const env = cliEnv(replayed);
    const refused = await collectorCli(['reset-group', '--group', replayed.groups.detector, '--to', FROM], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`consumer group "${replayed.groups.detector}" has 1 live member`));
    expect(await replayed.caughtUp(replayed.groups.detector, replayed.topics.hourlySnapshots)).toBe(true);

    const before = { anomalies: await anomaliesOf(replayed), events: await replayed.messageCount(replayed.topics.anomalies), notifications: await notificationsOf(replayed) };
    await replayed.stopService('detector');
    const reset = await collectorCli(['reset-group', '--group', replayed.groups.detector, '--to', FROM], env);
    expect(reset.code).toBe(0);
    const snapshots = await replayed.messageCount(replayed.topics.hourlySnapshots);
    expect(reset.stdout).toContain(`reset group ${replayed.groups.detector} to 2026-02-02T00:00:00.000Z`);
    // The snapshots were produced moments ago, all after the reset time: every one is re-read.
    expect(reset.stdout).toContain(`${snapshots} messages to reprocess`);
    expect(await replayed.caughtUp(replayed.groups.detector, replayed.topics.hourlySnapshots)).toBe(false);

    await replayed.startService('detector');
    await settled(replayed);
    await new Promise((done) => setTimeout(done, 2_000));
    expect(await anomaliesOf(replayed)).toEqual(before.anomalies);
    expect(await replayed.messageCount(replayed.topics.anomalies)).toBe(before.events);
    expect(await notificationsOf(replayed)).toBe(before.notifications);
  }, 240_000);
});
