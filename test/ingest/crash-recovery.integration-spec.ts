import { SyntheticBilling, expectedDailyTotals } from '@costwatch/synthetic';
import { waitFor } from '@costwatch/testing';
import { IngestHarness } from './ingest-harness';

/** DESIGN invariant 4: kill -9 the aggregator mid-stream; on restart the totals are exact. */
describe('aggregator killed mid-stream', () => {
  const harness = new IngestHarness(18293);
  const billing = new SyntheticBilling({ seed: 99, days: 12, domains: 5, projectsPerDomain: 5, servicesPerProject: 8, anomalies: 5, warmupDays: 5 });
  const records = [...billing.hours()].flatMap((hour) => hour.records);

  beforeAll(() => harness.start(), 120_000);
  afterAll(() => harness.stop());

  it('resumes from committed offsets and ends with exact totals', async () => {
    const publishing = harness.publish(records);
    const daily = harness.mongo.db.collection('billing_daily');
    // Kill it once it has visibly started writing, so the crash lands mid-stream.
    await waitFor(async () => ((await daily.countDocuments()) > 50 ? true : undefined), 'the aggregator to start writing', 120_000, 100);
    harness.service!.child.kill('SIGKILL');
    expect(await harness.service!.exited).toBeNull();
    const partial = await harness.storedDailyTotals();
    await publishing;

    await harness.startService();
    const expected = expectedDailyTotals(records);
    expect(partial.size).toBeLessThan(expected.size);
    const stored = await harness.waitForTotals(expected);
    const mismatches = [...expected].filter(([key, amount]) => stored.get(key) !== amount).map(([key, amount]) => `${key}: expected ${amount}, stored ${stored.get(key) ?? 'nothing'}`);
    // What the restarted service said, to tell a stuck service from a lost record.
    if (mismatches.length > 0) process.stderr.write(`baseline service after the restart (${stored.size} of ${expected.size} day documents, ${mismatches.length} wrong):\n${mismatches.slice(0, 5).join('\n')}\n${harness.service?.output().slice(-6000) ?? ''}\n`);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(stored.size).toBe(expected.size);
    // Up to 2 min to start writing, then up to 4 min for the totals (waitForTotals).
  }, 420_000);
});
