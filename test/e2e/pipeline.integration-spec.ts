import { uniqueName, waitFor } from '@costwatch/testing';
import { PipelineHarness, alertmanagerAlerts, billingRecords, syslogLines, type SeriesSpec } from './pipeline-harness';

const DAYS = 22;
const START_MS = Date.UTC(2026, 0, 5); // a Monday
const SPIKE_HOUR = 16 * 24 + 10; // day 16, 10:00 UTC
const domainId = uniqueName('e2e-dom');
const series: SeriesSpec[] = ['p1', 'p2'].flatMap((projectId) => [
  { projectId, serviceId: 'compute', serviceName: 'Virtual Machine', base: projectId === 'p1' ? 12 : 30 },
  { projectId, serviceId: 'storage', serviceName: 'Object Storage', base: 4 },
  { projectId, serviceId: 'network', serviceName: 'Network', base: 1.5 },
]);
const records = billingRecords(domainId, series, START_MS, DAYS, [{ projectId: 'p1', serviceId: 'compute', hour: SPIKE_HOUR, factor: 8 }]);
// Phase 1 ends with the spike hour; phase 2 brings the series back to normal.
const cut = (SPIKE_HOUR + 1) * series.length;
const spikeFilter = [`domain="${domainId}"`, 'project="p1"', 'service="compute"'];

/**
 * Records → collector → baseline service → detector → notifier → Alertmanager and rsyslog,
 * every service a real process on the real servers. One spike on one series out of six,
 * everything else within ±2% of its level.
 */
describe('pipeline end to end: one injected spike', () => {
  const harness = new PipelineHarness({ basePort: 18391, env: { detector: { DETECTION_PRESET: 'seed', DETECTION_FIRST_SEEN_MIN: 'off' } } });
  const anomalies = () => harness.mongo.db.collection<{ _id: string; state: string; series: { serviceId: string } }>('billing_anomalies');
  const anomalyLines = () => syslogLines(domainId).filter((line) => line.includes('BILLING_ANOMALY'));

  beforeAll(() => harness.start(), 120_000);
  afterAll(() => harness.stop(), 60_000);

  it('a spike fires exactly one Alertmanager alert and one BILLING_ANOMALY syslog line for its series', async () => {
    await harness.publish(records.slice(0, cut));
    const alerts = await waitFor(async () => {
      const found = await alertmanagerAlerts(`domain="${domainId}"`);
      return found.length > 0 ? found : undefined;
    }, 'the spike alert in Alertmanager', 90_000, 500);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.labels).toMatchObject({ alertname: 'BillingCostAnomaly', project: 'p1', service: 'compute', rule: 'seed: z > 3 OR ratio > 2' });
    expect(alerts[0]!.startsAt).toBe(new Date(START_MS + SPIKE_HOUR * 3_600_000).toISOString());
    expect(Number(alerts[0]!.annotations['observed'])).toBeGreaterThan(80);

    const lines = await waitFor(() => (anomalyLines().length > 0 ? anomalyLines() : undefined), 'the BILLING_ANOMALY line in rsyslog', 30_000, 250);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('service="compute"');
    const docs = await anomalies().find({}).toArray();
    expect(docs.map((d) => [d.state, d.series.serviceId])).toEqual([['firing', 'compute']]);
  }, 150_000);

  it('restarting the notifier mid-stream sends nothing twice; the alert resolves when the series is back to normal', async () => {
    await harness.stopService('notifier');
    await harness.startService('notifier');
    await harness.publish(records.slice(cut));
    await waitFor(async () => ((await anomalies().findOne({ state: 'resolved' })) ? true : undefined), 'the anomaly resolved', 90_000, 500);
    await waitFor(async () => ((await alertmanagerAlerts(...spikeFilter)).every((a) => Date.parse(a.endsAt) <= Date.now()) ? true : undefined), 'the alert resolved in Alertmanager', 60_000, 500);
    await waitFor(() => (syslogLines(domainId).some((line) => line.includes('BILLING_RESOLVED')) ? true : undefined), 'the BILLING_RESOLVED line', 30_000, 250);
    await waitFor(async () => ((await harness.caughtUp(harness.groups.detector, harness.topics.hourlySnapshots)) ? true : undefined), 'the detector caught up', 60_000, 500);
    await waitFor(async () => ((await harness.caughtUp(`${harness.groups.detector}-daily`, harness.topics.dailyTotals)) ? true : undefined), 'the daily totals judged', 60_000, 500);
    expect(anomalyLines().filter((line) => line.includes('service="compute"'))).toHaveLength(1);
    // The spike day's project total (+20 %) is a daily anomaly of its own, naming compute and
    // sharing the spike's incident; the compute series' own daily total is not (its hour said it).
    const projectLines = anomalyLines().filter((line) => line.includes('service="*"'));
    expect(projectLines).toHaveLength(1);
    expect(projectLines[0]).toContain('contributors="service=compute');
    expect(projectLines[0]).toContain(`incident="${domainId}@${new Date(START_MS + 16 * 86_400_000).toISOString().slice(0, 10)}"`);
    expect(await anomalies().countDocuments({})).toBe(2);
    expect(await harness.messageCount(harness.topics.anomalies)).toBe(4);
  }, 200_000);

  it('replaying every hourly snapshot (detector group reset to the beginning) creates no second anomaly and no second notification', async () => {
    await harness.stopService('detector');
    const admin = await harness.kafkaAdmin();
    await admin.resetOffsets({ groupId: harness.groups.detector, topic: harness.topics.hourlySnapshots, earliest: true });
    expect(await harness.caughtUp(harness.groups.detector, harness.topics.hourlySnapshots)).toBe(false);
    await harness.startService('detector');
    await waitFor(async () => ((await harness.caughtUp(harness.groups.detector, harness.topics.hourlySnapshots)) ? true : undefined), 'the detector replayed every snapshot', 90_000, 500);
    // Give the notifier a moment to act on anything the replay might have published.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await harness.messageCount(harness.topics.anomalies)).toBe(4);
    expect(await anomalies().countDocuments({})).toBe(2);
    expect(anomalyLines()).toHaveLength(2);
    expect((await alertmanagerAlerts(...spikeFilter)).filter((a) => Date.parse(a.endsAt) > Date.now())).toEqual([]);
  }, 150_000);
});
