import { billingRecordId, type BillingRecord } from '@costwatch/contracts';
import { SyntheticBilling, expectedDailyTotals } from '@costwatch/synthetic';
import { waitFor } from '@costwatch/testing';
import { IngestHarness } from './ingest-harness';

const DAYS = 30;
const billing = new SyntheticBilling({ seed: 2026, days: DAYS, domains: 5, projectsPerDomain: 5, servicesPerProject: 8, anomalies: 10 });
const records = [...billing.hours()].flatMap((hour) => hour.records);
const seriesCount = new Set(records.map((r) => `${r.domainId}|${r.projectId}|${r.serviceId}`)).size;

/** Collector → Kafka → baseline service (archiver + aggregator) → MongoDB and S3, on the real servers. */
describe(`ingest: ${DAYS} days × ${seriesCount} series from the generator`, () => {
  const harness = new IngestHarness(18291);

  beforeAll(async () => {
    await harness.start();
    await harness.publish(records);
  }, 120_000);

  afterAll(() => harness.stop());

  it('stores daily totals equal to the generator totals digit for digit', async () => {
    expect(seriesCount).toBeGreaterThanOrEqual(200);
    const expected = expectedDailyTotals(records);
    const stored = await harness.waitForTotals(expected);
    expect(stored.size).toBe(expected.size);
    const mismatches = [...expected].filter(([key, amount]) => stored.get(key) !== amount).slice(0, 5);
    expect(mismatches).toEqual([]);
  });

  it('keeps every record in S3: parts plus the seed-layout day files of closed days', async () => {
    const ids = new Set(records.map((r) => r.id));
    const archived = new Set<string>();
    await waitFor(
      async () => {
        const keys = await harness.s3.listKeys('raw/');
        archived.clear();
        for (const key of keys) {
          const text = (await harness.s3.getText(key)) ?? '';
          const rows: BillingRecord[] = key.endsWith('.json') ? (JSON.parse(text) as BillingRecord[]) : text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as BillingRecord);
          rows.forEach((r) => archived.add(r.id));
        }
        return archived.size >= ids.size ? true : undefined;
      },
      'every record in S3',
      120_000,
      2_000,
    );
    expect([...ids].filter((id) => !archived.has(id))).toEqual([]);
    const first = await harness.s3.getText('raw/year=2026/month=09/day=01/billing_20260901.json');
    const dayOne = JSON.parse(first ?? '[]') as BillingRecord[];
    expect(dayOne.length).toBe(records.filter((r) => r.periodStart.startsWith('2026-09-01')).length - countRestatedOn(records, '2026-09-01'));
  });

  it('builds as-of-dated baselines from history before the day only', async () => {
    const baselines = harness.mongo.db.collection<{ asOf: string; count: number; mean: number }>('billing_baseline');
    await waitFor(async () => ((await baselines.countDocuments({ asOf: '2026-09-29' })) > 0 ? true : undefined), 'baselines as of 2026-09-29', 120_000, 1_000);
    // A series present from the first hour and never restated before the as-of date, so
    // the values the baseline saw are exactly the generator's.
    const seen = new Set<string>();
    const restated = new Set<string>();
    for (const r of records) (seen.has(r.id) ? restated : seen).add(r.id);
    const seriesOf = (r: BillingRecord) => `${r.domainId}|${r.projectId}|${r.serviceId}|${r.currency}`;
    const before = records.filter((r) => r.periodStart < '2026-09-29' && r.chargeCategory === undefined);
    const dirty = new Set(before.filter((r) => restated.has(r.id)).map(seriesOf));
    const clean = before.filter((r) => !dirty.has(seriesOf(r)) && r.serviceId === 'block-storage');
    const key = seriesOf(clean[0]!);
    const history = clean.filter((r) => seriesOf(r) === key).map((r) => Number(r.amount));
    expect(history).toHaveLength(28 * 24);
    const baseline = await baselines.findOne({ _id: `2026-09-29|${key}` } as object);
    expect(baseline?.count).toBe(28 * 24);
    expect(baseline?.mean).toBeCloseTo(history.reduce((a, b) => a + b, 0) / history.length, 6);
    // Nothing from the as-of day or later: no baseline is dated after the last closed day + 1.
    const latest = await baselines.find({}).sort({ asOf: -1 }).limit(1).toArray();
    expect(latest[0]!.asOf <= '2026-09-30').toBe(true);
  });

  it('publishing everything again plus restatements leaves totals exactly right', async () => {
    const restated: BillingRecord[] = records.slice(1000, 1100).map((r) => ({ ...r, amount: '1234.000000000123', collectedAt: '2026-12-01T00:00:00.000Z' }));
    const stale: BillingRecord[] = records.slice(2000, 2010).map((r) => ({ ...r, amount: '999999', collectedAt: '2020-01-01T00:00:00.000Z' }));
    const all = [...records, ...restated, ...stale];
    await harness.publish([...records, ...restated, ...stale]);
    const expected = expectedDailyTotals(all);
    const stored = await harness.waitForTotals(expected);
    const mismatches = [...expected].filter(([key, amount]) => stored.get(key) !== amount).slice(0, 5);
    expect(mismatches).toEqual([]);
    expect(restated.every((r) => r.id === billingRecordId(r))).toBe(true);
  });
});

function countRestatedOn(all: readonly BillingRecord[], date: string): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of all) {
    if (!r.periodStart.startsWith(date)) continue;
    if (seen.has(r.id)) duplicates += 1;
    seen.add(r.id);
  }
  return duplicates;
}
