import { billingRecordId, canonicalAmount, type BillingRecord } from '@costwatch/contracts';
import { SeededRandom } from '@costwatch/detection';
import { uniqueName, waitFor } from '@costwatch/testing';
import { PipelineHarness, billingRecords, syslogLines, type SeriesSpec } from './pipeline-harness';

const DAYS = 10;
const START_MS = Date.UTC(2026, 2, 2); // a Monday
const EXTREME_SPIKE_HOUR = 8 * 24 + 10;
const EWMA_SPIKE_HOUR = 9 * 24 + 5;
const domainId = uniqueName('rules-dom');
const series: SeriesSpec[] = [
  { projectId: 'p1', serviceId: 'compute', serviceName: 'Virtual Machine', base: 10 },
  { projectId: 'p2', serviceId: 'compute', serviceName: 'Virtual Machine', base: 10 },
];
const records = billingRecords(domainId, series, START_MS, DAYS, [
  { projectId: 'p1', serviceId: 'compute', hour: EXTREME_SPIKE_HOUR, factor: 6 },
  { projectId: 'p2', serviceId: 'compute', hour: EWMA_SPIKE_HOUR, factor: 6 },
]);
const at = (hour: number) => new Date(START_MS + hour * 3_600_000).toISOString();

/**
 * A noisy series (each hour 10 ± 30 %, uniform) that runs 15 % above its level from day 8
 * noon on: no hour stands out from the noise (z about 3 at most, the rule wants 3.5), but 21
 * hours of it put the trailing 24 hours past z 3.5 and the 10 % floor against the daily totals.
 */
const RAMP_FROM_HOUR = 8 * 24 + 12;
const noise = new SeededRandom(3);
const rampRecords: BillingRecord[] = Array.from({ length: DAYS * 24 }, (_, h) => {
  const amount = 10 * (1 + 0.6 * (noise.next() - 0.5)) * (h >= RAMP_FROM_HOUR ? 1.15 : 1);
  const identity = { source: 'synthetic' as const, domainId, projectId: 'p3', serviceId: 'batch', periodStart: at(h), granularity: 'HOURLY' as const, currency: 'USD' };
  return { ...identity, id: billingRecordId(identity), serviceName: 'Batch', periodEnd: at(h + 1), amount: canonicalAmount(amount.toFixed(6)), collectedAt: at(DAYS * 24) };
});

/**
 * The presets and scores the evaluation CLI offers run in the detector service too: one
 * project judged by the `extreme` preset (a new record against the last 7 days), the other by
 * a rule on the series' own EWMA. Each catches its injected spike; a third project's slow rise
 * is caught by its trailing 24 hours before its day closes; nothing else fires.
 */
describe('detection rules in the service: extreme preset, an EWMA rule, the rolling 24 hours', () => {
  const overrides = [
    { match: ['project=p1'], preset: 'extreme' },
    { match: ['project=p2'], rule: 'ewmaZ > 8' },
    { match: ['project=p3'], rule: 'z > 3.5' },
  ];
  const harness = new PipelineHarness({ basePort: 18441, env: { detector: { DETECTION_OVERRIDES: JSON.stringify(overrides) } } });
  const anomalies = () => harness.mongo.db.collection<{ state: string; rule: string; granularity: string; window: { start: string }; series: { projectId: string; serviceId: string } }>('billing_anomalies');

  beforeAll(() => harness.start(), 120_000);
  afterAll(() => harness.stop(), 60_000);

  it('each rule fires on its spike and is notified, nothing else fires', async () => {
    await harness.publish([...records, ...rampRecords].sort((a, b) => a.periodStart.localeCompare(b.periodStart)));
    await waitFor(async () => ((await anomalies().countDocuments({})) >= 3 ? true : undefined), 'both spikes and the ramp judged', 120_000, 500).catch(async (error: unknown) => {
      const found = await anomalies().find({}).toArray();
      throw new Error(`${String(error)}; found: ${JSON.stringify(found.map((d) => [d.series.projectId, d.granularity, d.rule, d.window.start]))}`);
    });
    await waitFor(async () => ((await harness.caughtUp(harness.groups.detector, harness.topics.hourlySnapshots)) ? true : undefined), 'every hour judged', 60_000, 500);
    const docs = await anomalies().find({}).toArray();
    expect(docs.map((d) => [d.series.projectId, d.series.serviceId, d.granularity, d.rule, d.window.start]).sort()).toEqual([
      ['p1', 'compute', 'hourly', 'override-1: abs(extremeZ) > 1', at(EXTREME_SPIKE_HOUR)],
      ['p2', 'compute', 'hourly', 'override-2: ewmaZ > 8', at(EWMA_SPIKE_HOUR)],
      // Some hours into day 9 (the exact hour depends on the noise).
      ['p3', 'batch', 'rolling-24h', 'override-3: z > 3.5', expect.stringMatching(/^2026-03-11T(0\d|1[0-9])/)],
    ]);
    // Both went out through the notifier (each has resolved since: the hours after it are normal).
    const lines = () => syslogLines(domainId).filter((line) => line.includes('BILLING_ANOMALY'));
    await waitFor(() => (lines().length >= 3 ? true : undefined), 'three BILLING_ANOMALY lines', 60_000, 250);
    expect(lines().map((line) => /rule="([^"]*)"/.exec(line)?.[1]).sort()).toEqual(['override-1: abs(extremeZ) > 1', 'override-2: ewmaZ > 8', 'override-3: z > 3.5']);
    expect(lines().find((line) => line.includes('project="p3"'))).toContain('granularity="rolling-24h"');
  }, 240_000);
});
