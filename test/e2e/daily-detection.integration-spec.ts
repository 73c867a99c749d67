import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueName, waitFor } from '@costwatch/testing';
import { FocusCsvSource } from '../../services/collector/src/sources/focus/focus-csv.source';
import { KakaoCloudBillingSource } from '../../services/collector/src/sources/kakaocloud/kakaocloud-billing.source';
import { PipelineHarness, alertmanagerAlerts, syslogLines } from './pipeline-harness';

const DAY_MS = 86_400_000;
const DAYS = 30;
/** The history ends yesterday, so every record is recent (collected today). */
const START_MS = Math.floor(Date.now() / DAY_MS) * DAY_MS - (DAYS + 1) * DAY_MS;
const dateOf = (day: number): string => new Date(START_MS + day * DAY_MS).toISOString().slice(0, 10);
const SPIKE_DAY = 20;
const VANISH_DAY = 22;
const GAP_DAY = 24;

/** Deterministic ±5 % noise: no daily total of a normal day is 10 % off its level. */
const noise = (day: number, salt: number): number => 1 + 0.05 * Math.sin(day * 12.9898 + salt * 78.233);
const money = (value: number): string => value.toFixed(4);

const kakaoDomain = uniqueName('kc-dom');
const focusAccount = uniqueName('focus-acct');
const gapAccount = uniqueName('gap-acct');
const KAKAO_SERVICES = [
  { serviceId: 'vm', serviceName: 'Virtual Machine', daily: 2400 },
  { serviceId: 'storage', serviceName: 'Object Storage', daily: 300 },
  { serviceId: 'network', serviceName: 'Network', daily: 90 },
];

/** A KakaoCloud-style Billing API on 127.0.0.1: daily costs per domain/project/service, one 4× spike. */
function kakaoCloudApi(): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ymd = url.searchParams.get('date') ?? '';
    const day = Math.round((Date.parse(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T00:00:00Z`) - START_MS) / DAY_MS);
    const items = KAKAO_SERVICES.map((s, salt) => ({
      meteringDate: ymd,
      domainId: kakaoDomain,
      projectId: 'prod',
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      cost: money(s.daily * noise(day, salt) * (day === SPIKE_DAY && s.serviceId === 'vm' ? 4 : 1)),
    }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ currency: 'KRW', items, nextPageToken: null }));
  });
}

const FOCUS_HEADER = 'BillingAccountId,SubAccountId,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ServiceName,EffectiveCost';

/** Daily FOCUS rows: `db` stops appearing from VANISH_DAY; the gap account sends nothing for GAP_DAY. */
function focusRows(days: readonly number[], account: string, services: ReadonlyArray<{ name: string; daily: number; until?: number }>): string[] {
  return days.flatMap((day) =>
    services
      .filter((s) => s.until === undefined || day < s.until)
      .map((s, salt) => `${account},app,USD,Usage,${dateOf(day)}T00:00:00Z,${dateOf(day + 1)}T00:00:00Z,${s.name},${money(s.daily * noise(day, salt + 3))}`),
  );
}

/**
 * Daily-only sources through the whole pipeline (records → baseline → detector → notifier
 * → Alertmanager and rsyslog): a KakaoCloud-style daily bill from a local API with one
 * injected daily spike, a daily FOCUS export with a service that stops appearing, and an
 * account whose whole day is missing and arrives late.
 */
describe('daily judgement end to end: daily-only sources', () => {
  const harness = new PipelineHarness({ basePort: 18431 });
  const api = kakaoCloudApi();
  const dir = mkdtempSync(join(tmpdir(), 'costwatch-daily-'));
  const anomalies = () =>
    harness.mongo.db.collection<{ _id: string; state: string; granularity: string; kind: string; rule: string; series: { domainId: string; projectId: string; serviceId: string }; contributors: Array<{ dimension: string; value: string; share: number }> }>('billing_anomalies');
  const anomalyLines = (needle: string) => syslogLines(needle).filter((line) => line.includes('BILLING_ANOMALY'));

  beforeAll(async () => {
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    await harness.start();
  }, 120_000);
  afterAll(async () => {
    api.closeAllConnections();
    await new Promise<void>((resolve) => api.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
    await harness.stop();
  }, 60_000);

  async function importFocus(name: string, rows: readonly string[]): Promise<void> {
    const file = join(dir, name);
    writeFileSync(file, `${FOCUS_HEADER}\n${rows.join('\n')}\n`);
    await harness.collector.publishAll('focus', new FocusCsvSource({ files: file }).collectAll());
  }

  it('collects 30 days from every source: a daily spike (with its project total naming it), a vanished service and a silent account each raise their alert, nothing else', async () => {
    const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const kakao = new KakaoCloudBillingSource({ baseUrl, credentialId: 'id', credentialSecret: 'secret', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    const days = Array.from({ length: DAYS }, (_, day) => day);
    const focusServices = [
      { name: 'Compute', daily: 500 },
      { name: 'db', daily: 120, until: VANISH_DAY },
      { name: 'Storage', daily: 40 },
    ];
    // Day by day, as a scheduled daily collection would: every source's day before the next.
    const collectDay = async (day: number): Promise<void> => {
      await harness.collector.publishAll('kakaocloud', kakao.collect({ from: new Date(START_MS + day * DAY_MS), to: new Date(START_MS + (day + 1) * DAY_MS), granularity: 'DAILY' }));
      await importFocus(`day-${day}.csv`, [
        ...focusRows([day], focusAccount, focusServices),
        ...(day === GAP_DAY ? [] : focusRows([day], gapAccount, [{ name: 'Compute', daily: 200 }, { name: 'Storage', daily: 30 }])),
      ]);
    };
    // Up to the day after the spike: the spike's day closes, the next one does not yet, so its alert is still firing.
    for (const day of days.slice(0, SPIKE_DAY + 2)) await collectDay(day);

    // The spike: one daily anomaly in Alertmanager for the service, labelled daily, with the figures
    // behind it; its project's total is an anomaly too, naming the service as what drove it, under
    // the same incident label (the shipped Alertmanager routing groups by it).
    const alerts = await waitFor(async () => {
      const found = await alertmanagerAlerts(`domain="${kakaoDomain}"`);
      return found.length >= 2 ? found : undefined;
    }, 'the daily spike alerts in Alertmanager', 90_000, 500);
    const spike = alerts.find((a) => a.labels['service'] === 'vm');
    const project = alerts.find((a) => a.labels['service'] === '*');
    expect(alerts).toHaveLength(2);
    expect(spike!.labels).toMatchObject({ alertname: 'BillingCostAnomaly', project: 'prod', granularity: 'daily', rule: expect.stringMatching(/^billing: abs\(seasonalZ\) > 10/), incident: `${kakaoDomain}@${dateOf(SPIKE_DAY)}` });
    expect(spike!.startsAt).toBe(`${dateOf(SPIKE_DAY)}T00:00:00.000Z`);
    expect(project!.labels).toMatchObject({ project: 'prod', granularity: 'daily', incident: spike!.labels['incident'] });
    expect(project!.annotations['top_contributors']).toMatch(/^service=vm (9\d|100)%/);
    const vmLines = () => anomalyLines(kakaoDomain).filter((l) => l.includes('service="vm"'));
    const [line] = await waitFor(() => (vmLines().length > 0 ? vmLines() : undefined), 'the BILLING_ANOMALY line', 30_000, 250);
    for (const field of ['observed="', 'expected="', 'z="', 'ratio="', 'granularity="daily"', `incident="${kakaoDomain}@${dateOf(SPIKE_DAY)}"`]) expect(line).toContain(field);
    const projectDoc = await anomalies().findOne({ 'series.domainId': kakaoDomain, 'series.serviceId': '*' });
    expect(projectDoc?.contributors[0]).toMatchObject({ dimension: 'service', value: 'vm' });
    expect(projectDoc?.contributors[0]?.share).toBeGreaterThanOrEqual(0.9);

    for (const day of days.slice(SPIKE_DAY + 2)) await collectDay(day);
    // The vanished service: one drop once its first missing day closed.
    await waitFor(async () => ((await anomalies().countDocuments({ 'series.domainId': focusAccount })) > 0 ? true : undefined), 'the drop anomaly', 60_000, 500);
    // The silent account: one collection gap, no per-series drop.
    const [gap] = await waitFor(async () => {
      const found = await alertmanagerAlerts(`domain="${gapAccount}"`);
      return found.length > 0 ? found : undefined;
    }, 'the collection-gap alert', 60_000, 500);
    expect(gap!.labels).toMatchObject({ alertname: 'BillingCollectionGap', granularity: 'daily' });

    // Everything judged: every day up to the last closable one is closed and its totals judged.
    await waitFor(async () => ((await harness.caughtUp(`${harness.groups.detector}-daily`, harness.topics.dailyTotals)) ? true : undefined), 'the daily totals judged', 60_000, 500);
    const docs = await anomalies().find({}).toArray();
    const ruleOf = (rule: string) => rule.replace(/ \d+ series/, ' N series').replace(/^billing: abs\(seasonalZ\).*/, 'billing: expression');
    const summary = docs.map((d) => [d.series.domainId, d.series.projectId, d.series.serviceId, d.granularity, d.kind, ruleOf(d.rule)]).sort();
    expect(summary).toEqual(
      [
        [kakaoDomain, 'prod', 'vm', 'daily', 'cost', 'billing: expression'],
        [kakaoDomain, 'prod', '*', 'daily', 'cost', 'billing: expression'],
        [focusAccount, 'app', 'db', 'daily', 'cost', 'billing: drop-to-zero'],
        [gapAccount, '*', '*', 'daily', 'collection-gap', 'collection-gap: no record for N series'],
      ].sort(),
    );
    expect(vmLines()).toHaveLength(1);
    expect(anomalyLines(kakaoDomain)).toHaveLength(2);
    expect(anomalyLines(focusAccount)).toHaveLength(1);
  }, 240_000);

  it('the late arrival of the silent day resolves the collection gap', async () => {
    await importFocus('late.csv', focusRows([GAP_DAY], gapAccount, [{ name: 'Compute', daily: 200 }, { name: 'Storage', daily: 30 }]));
    await waitFor(async () => ((await anomalies().findOne({ kind: 'collection-gap', state: 'resolved' })) ? true : undefined), 'the gap resolved', 60_000, 500);
    // The notifier delivers the resolution to every channel (a delivery retried after a busy moment may take a while).
    await waitFor(() => (syslogLines(gapAccount).some((l) => l.includes('BILLING_RESOLVED')) ? true : undefined), 'the BILLING_RESOLVED line', 120_000, 500);
    await waitFor(async () => ((await alertmanagerAlerts(`domain="${gapAccount}"`)).every((a) => Date.parse(a.endsAt) <= Date.now()) ? true : undefined), 'the gap alert resolved in Alertmanager', 120_000, 500);
    expect(syslogLines(gapAccount).filter((l) => l.includes('BILLING_RESOLVED'))).toHaveLength(1);
    expect(await anomalies().countDocuments({ 'series.domainId': gapAccount })).toBe(1);
  }, 330_000);
});
