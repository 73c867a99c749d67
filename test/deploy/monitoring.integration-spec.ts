// The monitoring shipped in deploy/: Prometheus config and alert rules (promtool), the
// Alertmanager example (amtool), the Grafana dashboards, and, against the four built
// services on the real servers, that every metric a dashboard or rule refers to is one a
// service exports. promtool and amtool are built by `node tools/infra/infra.mjs tool …`
// (the first build takes minutes); when that fails these tests fail, they do not skip.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import pino from 'pino';
import { topicNames } from '@costwatch/contracts';
import { createKafka, ensureTopics } from '@costwatch/kafka';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { SERVICES, startService, type ServiceName, type ServiceProcess } from '../services/service-process';
import { exportedFamilies, isExported, metricNames } from './promql-metric-names';

const repoRoot = path.resolve(__dirname, '..', '..');
const deploy = (...parts: string[]): string => path.join(repoRoot, 'deploy', ...parts);
const TOOL_BUILD_MS = 40 * 60_000;

/** Installs (first time only) and locates an operator tool from tools/infra's TOOLS. */
function installTool(name: string): string {
  try {
    const out = execFileSync(process.execPath, [path.join(repoRoot, 'tools/infra/infra.mjs'), 'tool', name], { encoding: 'utf8', timeout: TOOL_BUILD_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().split('\n').pop() ?? '';
  } catch (error) {
    throw new Error(`${name} could not be installed with \`node tools/infra/infra.mjs tool ${name}\`: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs a tool; returns stdout and stderr together, and throws with both on a non-zero exit. */
function run(binary: string, args: string[]): string {
  try {
    return execFileSync(binary, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${path.basename(binary)} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

const ruleFiles = readdirSync(deploy('prometheus', 'rules')).filter((f) => f.endsWith('.yml')).map((f) => deploy('prometheus', 'rules', f));
const rules: AlertRule[] = ruleFiles.flatMap((file) => (parseYaml(readFileSync(file, 'utf8')) as { groups: Array<{ rules: AlertRule[] }> }).groups.flatMap((g) => g.rules));
const ruleTestFiles = readdirSync(deploy('prometheus', 'tests')).filter((f) => f.endsWith('.test.yml')).map((f) => deploy('prometheus', 'tests', f));

interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr?: string; datasource?: { type?: string; uid?: string } }>;
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
}

const dashboardFiles = readdirSync(deploy('grafana', 'dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((file) => ({ file, dashboard: JSON.parse(readFileSync(deploy('grafana', 'dashboards', file), 'utf8')) as Dashboard }));
const panelsOf = (panels: readonly Panel[]): Panel[] => panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);

/** Every PromQL expression of the dashboards and alert rules, with where it comes from. */
const expressions: Array<{ where: string; expr: string }> = [
  ...dashboards.flatMap(({ file, dashboard }) =>
    panelsOf(dashboard.panels).flatMap((panel) => (panel.targets ?? []).filter((t) => t.expr).map((t) => ({ where: `${file} › ${panel.title ?? panel.id}`, expr: t.expr! }))),
  ),
  ...rules.map((rule) => ({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr })),
];

/** Grafana's interval variables, replaced by durations so promtool can parse the expression. */
const withoutGrafanaVariables = (expr: string): string => expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m');

describe('PromQL metric-name extraction', () => {
  it.each([
    ['sum by (topic) (rate(costwatch_messages_produced_total{topic!~".+\\\\.dlq"}[$__rate_interval]))', ['costwatch_messages_produced_total']],
    ['histogram_quantile(0.99, sum by (group, le) (rate(costwatch_handler_duration_seconds_bucket[5m])))', ['costwatch_handler_duration_seconds_bucket']],
    ['a_total unless on (group, topic) group_left (le) b{x="}{ \\" y"} offset 1h30m > bool 0', ['a_total', 'b']],
    ['sum(rate(x[5m])) by (job) / ignoring(instance) count without (le) ({__name__="y", a=~"$var"})', ['x', 'y']],
    ['time() - max(costwatch_job_last_success_timestamp_seconds{job_name="sweep"} > 0) + vector(1) # up{}', ['costwatch_job_last_success_timestamp_seconds']],
    ['label_replace(up{job=~"costwatch-.*"}, "c", "$1", "job", "(.*)") and on() absent(nope) or topk(3, m @ end())', ['m', 'nope', 'up']],
    ['avg_over_time(rate(z[5m])[1h:1m]) * -1e3 + 0x1f - Inf', ['z']],
  ])('%s', (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });

  it('maps histogram series to their family and needs the exact name otherwise', () => {
    const families = new Map([
      ['h_seconds', 'histogram'],
      ['s_seconds', 'summary'],
      ['c_total', 'counter'],
    ]);
    expect(['h_seconds_bucket', 'h_seconds_sum', 'h_seconds_count', 's_seconds_sum', 'c_total'].every((n) => isExported(n, families))).toBe(true);
    expect(['s_seconds_bucket', 'c_total_count', 'c', 'h_seconds_total'].some((n) => isExported(n, families))).toBe(false);
  });
});

describe('Prometheus configuration and rules (promtool)', () => {
  let promtool = '';

  beforeAll(() => {
    promtool = installTool('promtool');
  }, TOOL_BUILD_MS);

  it('accepts prometheus.yml, which loads the rule files and scrapes the four services where docker-compose runs them', () => {
    const out = run(promtool, ['check', 'config', deploy('prometheus', 'prometheus.yml')]);
    expect(out).toContain('is valid prometheus config file syntax');
    expect(out).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);

    const config = parseYaml(readFileSync(deploy('prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[]; labels?: Record<string, string> }> }>;
    };
    const compose = parseYaml(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, string> }> };
    for (const service of SERVICES) {
      const job = config.scrape_configs.find((j) => j.job_name === `costwatch-${service}`);
      const port = compose.services[service]?.environment?.['HTTP_PORT'];
      expect(port).toBeDefined();
      expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
      expect(job?.static_configs).toEqual([{ targets: [`${service}:${port}`], labels: { component: service } }]);
    }
  });

  it('accepts the rule files', () => {
    const out = run(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...ruleFiles]);
    expect(out).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['Watchdog', 'CostwatchServiceDown', 'CostwatchConsumerStalled', 'CostwatchPipelineStalled', 'CostwatchConsumerLagRising', 'CostwatchDeadLettersGrowing', 'CostwatchDeliveryFailing', 'CostwatchJobNotSucceeding']),
    );
  });

  it('passes the rules’ unit tests (promtool test rules), which cover every alert', () => {
    expect(run(promtool, ['test', 'rules', ...ruleTestFiles])).toContain('SUCCESS');
    const tested = new Set(ruleTestFiles.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1])));
    expect(rules.filter((r) => r.alert && !tested.has(r.alert)).map((r) => r.alert)).toEqual([]);
  });

  it('parses every dashboard expression as PromQL', () => {
    const broken = expressions.filter(({ expr }) => {
      try {
        run(promtool, ['--experimental', 'promql', 'format', '--', withoutGrafanaVariables(expr)]);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toEqual([]);
  });
});

describe('Alertmanager example configuration (amtool)', () => {
  const config = deploy('alertmanager', 'alertmanager.yml');
  let amtool = '';
  const receiverOf = (labels: Record<string, string>): string =>
    run(amtool, ['config', 'routes', 'test', `--config.file=${config}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]).trim();

  beforeAll(() => {
    amtool = installTool('amtool');
  }, TOOL_BUILD_MS);

  it('passes amtool check-config', () => {
    expect(run(amtool, ['check-config', config])).toContain('SUCCESS');
  });

  it('sends Watchdog to the dead man’s switch, billing anomalies to the billing receivers and pipeline alerts to operations', () => {
    expect(receiverOf({ alertname: 'Watchdog', severity: 'none', category: 'meta' })).toBe('deadmansswitch');
    expect(receiverOf({ alertname: 'BillingCostAnomaly', severity: 'critical', domain: 'd', project: 'p', service: 's' })).toBe('billing-critical');
    expect(receiverOf({ alertname: 'BillingCostAnomaly', severity: 'warning', domain: 'd', project: 'p', service: 's' })).toBe('billing-warning');
    expect(receiverOf({ alertname: 'BillingCollectionGap', severity: 'warning', domain: 'd', project: '*', service: '*' })).toBe('billing-warning');
    for (const rule of rules.filter((r) => r.alert && r.alert !== 'Watchdog')) {
      const receiver = receiverOf({ alertname: rule.alert!, ...rule.labels });
      expect([rule.alert, receiver]).toEqual([rule.alert, rule.labels?.['severity'] === 'critical' ? 'pipeline-critical' : 'pipeline-warning']);
    }
  });
});

describe('Grafana dashboards', () => {
  const provisioned = parseYaml(readFileSync(deploy('grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: Array<{ uid: string; type: string }> };
  const datasource = provisioned.datasources.find((d) => d.type === 'prometheus')!;

  it('are distinct dashboards of the current schema, each panel on the provisioned Prometheus datasource', () => {
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual(['costwatch-detection-alerting', 'costwatch-overview', 'costwatch-pipeline']);
    for (const { file, dashboard } of dashboards) {
      expect([file, dashboard.schemaVersion >= 39]).toEqual([file, true]);
      const panels = panelsOf(dashboard.panels);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect([file, panel.title, panel.datasource?.uid]).toEqual([file, panel.title, datasource.uid]);
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect([panel.title, target.datasource?.uid]).toEqual([panel.title, datasource.uid]);
        const pos = panel.gridPos!;
        expect(pos.x + pos.w <= 24 && pos.w > 0 && pos.h > 0).toBe(true);
      }
    }
  });
});

// --- against the running services -----------------------------------------------------------

const PORTS: Record<ServiceName, number> = { collector: 18601, baseline: 18602, detector: 18603, notifier: 18604 };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samples(exposition: string): Sample[] {
  const out: Sample[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]!] = label[2]!;
    out.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return out;
}

describe('metrics the four services export (real servers)', () => {
  const id = uniqueName('monitoring');
  const prefix = `${id}.`;
  const topics = topicNames(prefix);
  const groups = { aggregator: `${id}-aggregator`, archiver: `${id}-archiver`, detector: `${id}-detector`, notifier: `${id}-notifier` };
  const processes = new Map<ServiceName, ServiceProcess>();
  const scraped = new Map<ServiceName, string>();

  function envFor(service: ServiceName): Record<string, string> {
    const e = testEndpoints();
    // A synthetic history around today, so the scheduled hourly collection has records to publish.
    const start = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const common = { HTTP_PORT: String(PORTS[service]), LOG_LEVEL: 'warn', KAFKA_BROKERS: e.kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix, MONGO_URL: e.mongoUrl, MONGO_DB: id.replace(/-/g, '_') };
    const own: Record<ServiceName, Record<string, string>> = {
      collector: { HOURLY_CRON: '*/2 * * * * *', RECORDS_PARTITIONS: '2', SYNTHETIC_START: start, SYNTHETIC_DAYS: '5', SYNTHETIC_DOMAINS: '1', SYNTHETIC_PROJECTS_PER_DOMAIN: '2', SYNTHETIC_SERVICES_PER_PROJECT: '2' },
      baseline: {
        S3_ENDPOINT: e.s3.endpoint,
        S3_REGION: e.s3.region,
        S3_ACCESS_KEY_ID: e.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: e.s3.secretAccessKey,
        S3_BUCKET: id,
        AGGREGATOR_GROUP_ID: groups.aggregator,
        ARCHIVER_GROUP_ID: groups.archiver,
      },
      detector: { DETECTOR_GROUP_ID: groups.detector },
      notifier: { KAFKA_GROUP_ID: groups.notifier, ALERTMANAGER_URLS: e.alertmanagerUrl, ALERTMANAGER_RESEND_INTERVAL: '1s', SYSLOG_HOST: e.syslog.host, SYSLOG_PORT: String(e.syslog.port), SYSLOG_PROTOCOL: 'udp' },
    };
    return { ...common, ...own[service] };
  }

  const scrape = async (service: ServiceName): Promise<Sample[]> => samples(await (await fetch(`http://127.0.0.1:${PORTS[service]}/metrics`)).text());
  const sampleOf = async (service: ServiceName, name: string, labels: Record<string, string> = {}): Promise<Sample | undefined> =>
    (await scrape(service)).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

  beforeAll(async () => {
    // Created up front, so that whichever service starts first cannot choose the partition count.
    const kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'monitoring-test', logger: pino({ level: 'silent' }) });
    await ensureTopics(kafka, [topics.billingRecords, topics.hourlySnapshots, topics.dailyTotals, topics.anomalies].map((topic) => ({ topic, numPartitions: 2 })));
    for (const service of SERVICES) processes.set(service, startService(service, envFor(service)));
    for (const service of SERVICES) {
      await waitFor(
        async () => ((await fetch(`http://127.0.0.1:${PORTS[service]}/health/ready`).catch(() => undefined))?.ok ? true : undefined),
        `${service} ready (output: ${processes.get(service)?.output().slice(-1500)})`,
        90_000,
        250,
      );
    }
    // Work has flowed: a scheduled collection published records, the aggregator handled them,
    // the lag polls have run and the notifier's sweep has succeeded.
    await waitFor(async () => ((await sampleOf('collector', 'costwatch_job_last_success_timestamp_seconds', { job_name: 'hourly-collection' })) ? true : undefined), 'a scheduled collection', 60_000, 500);
    await waitFor(async () => (((await sampleOf('baseline', 'costwatch_messages_consumed_total', { group: groups.aggregator }))?.value ?? 0) > 0 ? true : undefined), 'the aggregator to consume', 60_000, 500);
    await waitFor(async () => ((await sampleOf('detector', 'costwatch_consumer_lag_messages', { group: groups.detector })) ? true : undefined), 'the detector lag poll', 60_000, 500);
    await waitFor(async () => ((await sampleOf('notifier', 'costwatch_job_last_success_timestamp_seconds', { job_name: 'notification-sweep' })) ? true : undefined), 'a notification sweep', 60_000, 500);
    for (const service of SERVICES) scraped.set(service, await (await fetch(`http://127.0.0.1:${PORTS[service]}/metrics`)).text());
  }, 300_000);

  afterAll(async () => {
    for (const process of processes.values()) {
      if (process.child.exitCode === null && process.child.signalCode === null) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
    }
  });

  it('exports every metric that a dashboard panel or an alert rule refers to', () => {
    const families = new Map<string, string>();
    for (const text of scraped.values()) for (const [name, type] of exportedFamilies(text)) families.set(name, type);
    // Series Prometheus makes itself, not a service.
    const fromPrometheus = new Set(['up']);
    const missing = expressions.flatMap(({ where, expr }) => metricNames(expr).filter((name) => !fromPrometheus.has(name) && !isExported(name, families)).map((name) => `${where}: ${name}`));
    expect(missing).toEqual([]);
    expect(expressions.length).toBeGreaterThan(50);
  });

  it('reports consumer lag for every consumer group of every service, per partition', async () => {
    const expected: Array<[ServiceName, string, string]> = [
      ['baseline', groups.aggregator, topics.billingRecords],
      ['baseline', groups.archiver, topics.billingRecords],
      ['detector', groups.detector, topics.hourlySnapshots],
      ['notifier', `${groups.notifier}.anomalies`, topics.anomalies],
      ['notifier', `${groups.notifier}.daily-totals`, topics.dailyTotals],
    ];
    for (const [service, group, topic] of expected) {
      const lag = await waitFor(
        async () => {
          const series = (await scrape(service)).filter((s) => s.name === 'costwatch_consumer_lag_messages' && s.labels['group'] === group && s.labels['topic'] === topic);
          return series.length > 0 ? series : undefined;
        },
        `lag of ${group} on ${topic}`,
        60_000,
        500,
      );
      expect([group, lag.every((s) => Number.isInteger(s.value) && s.value >= 0 && s.labels['service'] === service)]).toEqual([group, true]);
      expect(lag.map((s) => s.labels['partition']).sort()).toEqual(['0', '1']);
    }
    // The collector consumes nothing.
    expect((await scrape('collector')).some((s) => s.name === 'costwatch_consumer_lag_messages')).toBe(false);
    // The aggregator works off what the collector published: its lag returns to zero.
    await waitFor(
      async () => {
        const lag = (await scrape('baseline')).filter((s) => s.name === 'costwatch_consumer_lag_messages' && s.labels['group'] === groups.aggregator);
        return lag.length === 2 && lag.every((s) => s.value === 0) ? true : undefined;
      },
      'the aggregator to catch up (lag 0 on both partitions)',
      60_000,
      500,
    );
  });

  it('reports the last successful run of each periodic job, and what the collector and the baseline service did', async () => {
    const now = Date.now() / 1000;
    const collection = await sampleOf('collector', 'costwatch_job_last_success_timestamp_seconds', { job_name: 'hourly-collection' });
    expect(collection!.value).toBeGreaterThan(now - 120);
    const sweep = await sampleOf('notifier', 'costwatch_job_last_success_timestamp_seconds', { job_name: 'notification-sweep' });
    expect(sweep!.value).toBeGreaterThan(now - 120);
    // Jobs that have not run yet are declared, so a failure's first increment is seen.
    for (const job of ['day-close', 'archive-compaction']) {
      expect((await sampleOf('baseline', 'costwatch_job_runs_total', { job_name: job, result: 'failure' }))?.value).toBe(0);
    }
    expect((await sampleOf('collector', 'costwatch_job_runs_total', { job_name: 'daily-collection', result: 'success' }))?.value).toBe(0);

    // Every collection publishes the same previous hour again: the aggregator stores it once.
    const aggregated = await waitFor(
      async () => {
        const all = (await scrape('baseline')).filter((s) => s.name === 'costwatch_baseline_records_aggregated_total');
        const by = (outcome: string) => all.find((s) => s.labels['outcome'] === outcome)?.value ?? 0;
        return by('unchanged') > 0 ? { accepted: by('accepted'), unchanged: by('unchanged') } : undefined;
      },
      'records aggregated twice',
      60_000,
      500,
    );
    const collector = await scrape('collector');
    const published = collector.find((s) => s.name === 'costwatch_collector_records_published_total' && s.labels['source'] === 'synthetic')!.value;
    const produced = collector.find((s) => s.name === 'costwatch_messages_produced_total' && s.labels['topic'] === topics.billingRecords)!.value;
    expect(aggregated.accepted).toBeGreaterThan(0);
    expect(published).toBeGreaterThan(aggregated.accepted);
    // Counted after each source batch, so at most one batch behind what reached Kafka.
    expect(produced).toBeGreaterThanOrEqual(published);
    expect((await sampleOf('baseline', 'costwatch_baseline_records_archived_total'))!.value).toBeGreaterThan(0);
    expect((await sampleOf('baseline', 'costwatch_baseline_archive_objects_written_total', { kind: 'part' }))!.value).toBeGreaterThan(0);
  });
});
