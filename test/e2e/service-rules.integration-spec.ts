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
 * The presets and scores the evaluation CLI offers run in the detector service too: one
 * project judged by the `extreme` preset (a new record against the last 7 days), the other by
 * a rule on the series' own EWMA. Each catches its injected spike, and nothing else fires.
 */
describe('detection rules in the service: extreme preset and an EWMA rule', () => {
  const overrides = [
    { match: ['project=p1'], preset: 'extreme' },
    { match: ['project=p2'], rule: 'ewmaZ > 8' },
  ];
  const harness = new PipelineHarness({ basePort: 18441, env: { detector: { DETECTION_OVERRIDES: JSON.stringify(overrides) } } });
  const anomalies = () => harness.mongo.db.collection<{ state: string; rule: string; granularity: string; window: { start: string }; series: { projectId: string; serviceId: string } }>('billing_anomalies');

  beforeAll(() => harness.start(), 120_000);
  afterAll(() => harness.stop(), 60_000);

  it('each rule fires on its spike and is notified, nothing else fires', async () => {
    await harness.publish(records);
    await waitFor(async () => ((await anomalies().countDocuments({ 'series.serviceId': 'compute' })) >= 2 ? true : undefined), 'both spikes judged', 120_000, 500);
    await waitFor(async () => ((await harness.caughtUp(harness.groups.detector, harness.topics.hourlySnapshots)) ? true : undefined), 'every hour judged', 60_000, 500);
    const docs = await anomalies().find({}).toArray();
    expect(docs.map((d) => [d.series.projectId, d.series.serviceId, d.granularity, d.rule, d.window.start]).sort()).toEqual([
      ['p1', 'compute', 'hourly', 'override-1: abs(extremeZ) > 1', at(EXTREME_SPIKE_HOUR)],
      ['p2', 'compute', 'hourly', 'override-2: ewmaZ > 8', at(EWMA_SPIKE_HOUR)],
    ]);
    // Both went out through the notifier (each has resolved since: the hours after it are normal).
    const lines = () => syslogLines(domainId).filter((line) => line.includes('BILLING_ANOMALY'));
    await waitFor(() => (lines().length >= 2 ? true : undefined), 'two BILLING_ANOMALY lines', 60_000, 250);
    expect(lines().map((line) => /rule="([^"]*)"/.exec(line)?.[1]).sort()).toEqual(['override-1: abs(extremeZ) > 1', 'override-2: ewmaZ > 8']);
  }, 240_000);
});
