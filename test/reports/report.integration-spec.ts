import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sumAmounts, type Anomaly } from '@costwatch/contracts';
import { SyntheticBilling, expectedDailyTotals } from '@costwatch/synthetic';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { IngestHarness } from '../ingest/ingest-harness';
import { startService, type ServiceProcess } from '../services/service-process';

const CLI = resolve(__dirname, '../../dist/services/notifier/src/cli/report.js');
const WEEK = ['2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17', '2026-09-18', '2026-09-19', '2026-09-20'];
const PREVIOUS_WEEK = ['2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-11', '2026-09-12', '2026-09-13'];
const DETECTOR_PORT = 18502;
const NOTIFIER_PORT = 18503;

// Three weeks from a Monday plus one day, so the reported week (the third) is closed; the
// generator injects its labelled anomalies after a two-week warm-up, i.e. into that week.
const billing = new SyntheticBilling({ seed: 11, start: '2026-08-31', days: 22, domains: 2, projectsPerDomain: 2, servicesPerProject: 3, anomalies: 4, warmupDays: 14 });
const records = [...billing.hours()].flatMap((hour) => hour.records);
const expected = expectedDailyTotals(records);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function report(args: string[], env: Record<string, string>): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** The generator's exact totals for `days`, keyed `date|domain|project|service|currency`, optionally one domain only. */
function expectedFor(days: readonly string[], domainId?: string): Map<string, string> {
  return new Map([...expected].filter(([key]) => days.includes(key.slice(0, 10)) && (domainId === undefined || key.split('|')[1] === domainId)));
}

const escaped = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function csvRows(path: string): Array<Record<string, string>> {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

/**
 * The report command on the real pipeline: generator → collector use case → Kafka →
 * baseline service (rollups, day closing) → detector service (anomalies) → MongoDB, then
 * the built CLI as its own process, as an operator or a CronJob runs it.
 */
describe('cost report command', () => {
  const harness = new IngestHarness(18501);
  let detector: ServiceProcess | undefined;
  let out: string;
  let anomalies: Array<Omit<Anomaly, 'anomalyId'> & { _id: string }>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'costwatch-report-'));
    await harness.start();
    const e = testEndpoints();
    const group = uniqueName('report-detector');
    detector = startService('detector', {
      HTTP_PORT: String(DETECTOR_PORT),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: e.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: harness.prefix,
      MONGO_URL: e.mongoUrl,
      MONGO_DB: harness.dbName,
      DETECTOR_GROUP_ID: group,
      DETECTION_PENDING_RECHECK_MS: '250',
    });
    const started = detector;
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${DETECTOR_PORT}/health/ready`).catch(() => undefined))?.ok ? true : undefined),
      `detector ready (output: ${started.output().slice(-1500)})`,
      60_000,
      250,
    );
    await harness.publish(records);
    await harness.waitForTotals(expected, 60_000);
    const days = harness.mongo.db.collection<{ _id: string; closed: boolean }>('billing_days');
    await waitFor(async () => ((await days.findOne({ _id: '2026-09-20' }))?.closed ? true : undefined), 'the reported week closed', 60_000, 500);
    // The detector has judged every hourly snapshot once its group has committed them all, twice in a row.
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      let previous = '';
      await waitFor(
        async () => {
          const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(harness.topics.hourlySnapshots), admin.fetchOffsets({ groupId: group, topics: [harness.topics.hourlySnapshots] })]);
          const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          const state = ends.map((p) => `${p.high}/${done.get(p.partition) ?? -1}`).join(',');
          const caughtUp = ends.every((p) => Number(p.high) === 0 || (done.get(p.partition) ?? -1) >= Number(p.high));
          const stable = caughtUp && state === previous;
          previous = state;
          return stable ? true : undefined;
        },
        'the detector caught up',
        60_000,
        1_000,
      );
    } finally {
      await admin.disconnect();
    }
    const start = Date.parse('2026-09-14T00:00:00Z');
    const end = Date.parse('2026-09-21T00:00:00Z');
    anomalies = (await harness.mongo.db.collection<Omit<Anomaly, 'anomalyId'> & { _id: string }>('billing_anomalies').find({}).toArray()).filter(
      (a) => Date.parse(a.window.start) < end && Date.parse(a.window.end) > start,
    );
  }, 180_000);

  afterAll(async () => {
    if (detector && detector.child.exitCode === null) {
      detector.child.kill('SIGTERM');
      await detector.exited;
    }
    await harness.stop();
    rmSync(out, { recursive: true, force: true });
  }, 60_000);

  const env = () => ({ MONGO_URL: testEndpoints().mongoUrl, MONGO_DB: harness.dbName });

  it('writes HTML, PNG and CSV for the week, the CSV equal to the generator digit for digit', async () => {
    const run = await report(['--period', 'weekly', '--date', '20260916', '--out', out], env());
    expect(run.stderr).toContain('report: reading 14 days');
    expect(run.code).toBe(0);
    const stem = join(out, 'costwatch-weekly-20260914');
    for (const suffix of ['.html', '.png', '.csv', '-anomalies.csv']) expect(run.stdout).toContain(`${stem}${suffix}`);
    expect(run.stdout).toMatch(/^weekly report 2026-09-14 … 2026-09-20 \(all domains\): [\d,.]+ USD \([+-][\d.]+ % vs previous\); \d+ series/);

    const rows = csvRows(`${stem}.csv`);
    const fromCsv = new Map(rows.map((r) => [[r['date'], r['domain'], r['project'], r['service'], r['currency']].join('|'), r['cost']!]));
    expect(rows).toHaveLength(fromCsv.size);
    expect([...fromCsv].sort()).toEqual([...expectedFor(WEEK)].sort());
  });

  it('shows the period, exact totals per currency and per day, the change, and every anomaly', () => {
    const html = readFileSync(join(out, 'costwatch-weekly-20260914.html'), 'utf8');
    expect(html).toContain('<title>costwatch weekly cost report 2026-09-14 – 2026-09-20</title>');
    expect(html).toContain('compared with 2026-09-07 – 2026-09-13');
    expect(html).not.toContain('Not closed yet');
    const total = sumAmounts(expectedFor(WEEK).values());
    const previousTotal = sumAmounts(expectedFor(PREVIOUS_WEEK).values());
    expect(html).toContain(`<tr><td>USD</td><td class="num" title="${total}">`);
    expect(html).toContain(`title="${previousTotal}"`);
    for (const day of WEEK) {
      const dayTotal = sumAmounts([...expectedFor([day]).values()]);
      expect(html).toContain(`<tr><td>${day}</td><td class="num" title="${dayTotal}">`);
    }

    // The generator's injected anomalies fall in this week; the detector found some of them.
    expect(billing.labels.every((l) => l.start >= '2026-09-14' && l.start < '2026-09-22')).toBe(true);
    expect(anomalies.length).toBeGreaterThan(0);
    const count = (severity: Anomaly['severity']) => anomalies.filter((a) => a.severity === severity).length;
    expect(html).toContain(`<h2>Anomalies (${anomalies.length})</h2>`);
    expect(html).toContain(`critical: ${count('critical')} · warning: ${count('warning')} · info: ${count('info')}`);
    // A service's anomaly and its project's or domain's total (a roll-up) can share a window: a row is its window and series.
    const rows = html.split('<tr>').map((r) => r.slice(0, r.indexOf('</tr>')));
    for (const a of anomalies) {
      const row = rows.find((r) => r.includes(`<td title="${a.window.start} – ${a.window.end}">`) && r.includes(`<td>${a.series.projectId}</td>`) && r.includes(`<td title="${a.series.serviceId}">`)) ?? '';
      expect(row).not.toBe('');
      for (const part of [`<td>${a.series.domainId}</td>`, `<td>${a.series.projectId}</td>`, `title="${a.observed}"`, `title="${a.expected}"`, `>${a.severity}</span>`, `<td>${a.state}</td>`, `<td class="wrap">${escaped(a.rule)}</td>`, `<td title="${a.series.serviceId}">${escaped(a.series.serviceName)}</td>`]) {
        expect(row).toContain(part);
      }
    }
    const anomalyRows = csvRows(join(out, 'costwatch-weekly-20260914-anomalies.csv'));
    expect(anomalyRows.map((r) => r['anomaly_id']).sort()).toEqual(anomalies.map((a) => a._id).sort());
    const first = anomalyRows.find((r) => r['anomaly_id'] === anomalies[0]!._id)!;
    expect(first).toMatchObject({ observed: anomalies[0]!.observed, expected: anomalies[0]!.expected, severity: anomalies[0]!.severity, status: anomalies[0]!.state, window_start: anomalies[0]!.window.start });
  });

  it('draws the chart as a real PNG, linked and embedded in the page', () => {
    const path = join(out, 'costwatch-weekly-20260914.png');
    const png = readFileSync(path);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1100, 480]);
    expect(statSync(path).size).toBeGreaterThan(10_000);
    const html = readFileSync(join(out, 'costwatch-weekly-20260914.html'), 'utf8');
    expect(html).toContain(`src="data:image/png;base64,${png.toString('base64')}"`);
    expect(html).toContain('href="costwatch-weekly-20260914.png"');
  });

  it('reports one domain alone, and a day with its hours', async () => {
    const domainOut = join(out, 'domain-01');
    const run = await report(['--period', 'weekly', '--date', '20260920', '--domain', 'domain-01', '--out', domainOut], env());
    expect(run.code).toBe(0);
    const rows = csvRows(join(domainOut, 'costwatch-weekly-20260914.csv'));
    expect(new Map(rows.map((r) => [[r['date'], r['domain'], r['project'], r['service'], r['currency']].join('|'), r['cost']!]))).toEqual(expectedFor(WEEK, 'domain-01'));
    expect(readFileSync(join(domainOut, 'costwatch-weekly-20260914.html'), 'utf8')).toContain('domain domain-01');

    const daily = await report(['--period', 'daily', '--date', '20260915', '--out', out], env());
    expect(daily.code).toBe(0);
    const dayRows = csvRows(join(out, 'costwatch-daily-20260915.csv'));
    expect(sumAmounts(dayRows.map((r) => r['cost']!))).toBe(sumAmounts(expectedFor(['2026-09-15']).values()));
  });

  it('the notifier writes the last complete day and week on its REPORT_SCHEDULE', async () => {
    const dir = join(out, 'scheduled');
    const e = testEndpoints();
    const notifier = startService('notifier', {
      HTTP_PORT: String(NOTIFIER_PORT),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: e.kafkaBrokers.join(','),
      // Topics of its own: this notifier only writes reports here, it delivers nothing.
      KAFKA_TOPIC_PREFIX: `${uniqueName('report-schedule')}.`,
      KAFKA_GROUP_ID: uniqueName('report-notifier'),
      MONGO_URL: e.mongoUrl,
      MONGO_DB: harness.dbName,
      ALERTMANAGER_URLS: e.alertmanagerUrl,
      SYSLOG_HOST: e.syslog.host,
      SYSLOG_PORT: String(e.syslog.port),
      REPORT_SCHEDULE: '*/2 * * * * *',
      REPORT_PERIODS: 'daily,weekly',
      REPORT_DIR: dir,
    });
    try {
      const written = await waitFor(
        () => {
          const names = existsSync(dir) ? readdirSync(dir) : [];
          return ['daily', 'weekly'].every((kind) => ['html', 'png', 'csv'].every((ext) => names.some((n) => new RegExp(`^costwatch-${kind}-\\d{8}\\.${ext}$`).test(n)))) ? names : undefined;
        },
        `scheduled reports in ${dir} (output: ${notifier.output().slice(-1500)})`,
        45_000,
        250,
      );
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
      expect(written.filter((n) => n.startsWith('costwatch-daily-') && n.endsWith('.html'))).toContain(`costwatch-daily-${yesterday}.html`);
      const metrics = await (await fetch(`http://127.0.0.1:${NOTIFIER_PORT}/metrics`)).text();
      expect(metrics).toMatch(/costwatch_job_runs_total\{job_name="daily-report",result="success"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/costwatch_job_runs_total\{job_name="weekly-report",result="success"[^}]*\} [1-9]/);
    } finally {
      notifier.child.kill('SIGTERM');
      await notifier.exited;
    }
  }, 60_000);

  it('refuses bad settings and arguments with a clear message and a non-zero exit', async () => {
    const badUrl = await report(['--period', 'daily', '--out', out], { MONGO_URL: 'http://127.0.0.1:39017/' });
    expect(badUrl.code).toBe(78);
    expect(badUrl.stderr).toContain('MONGO_URL: must be a mongodb:// URL');

    const unset = await report(['--period', 'daily', '--out', out], {});
    expect(unset.code).toBe(78);
    expect(unset.stderr).toContain('MONGO_URL: is required but not set');

    const badPeriod = await report(['--period', 'yearly', '--out', out], env());
    expect(badPeriod.code).not.toBe(0);
    expect(badPeriod.stderr).toContain("argument 'yearly' is invalid. Allowed choices are daily, weekly, monthly.");

    const badDate = await report(['--period', 'daily', '--date', '20260230', '--out', out], env());
    expect(badDate.code).not.toBe(0);
    expect(badDate.stderr).toContain('must be a day as YYYYMMDD');

    const noOut = await report(['--period', 'daily'], env());
    expect(noOut.code).not.toBe(0);
    expect(noOut.stderr).toContain("required option '--out <dir>' not specified");

    const unreachable = await report(['--period', 'daily', '--out', out], { MONGO_URL: 'mongodb://user:secret@127.0.0.1:1/' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach MongoDB at mongodb://user:***@127.0.0.1:1/ (MONGO_URL)');
    expect(unreachable.stderr).not.toContain('secret');
  }, 30_000);
});
