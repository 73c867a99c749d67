import { anomalySchema, type HourlySnapshot } from '@costwatch/contracts';
import type { BaselineStats } from '@costwatch/detection';
import { detectorUnderTest, snapshot } from '../../test/in-memory';

const SERIES = 'd1|p1|compute|USD';
const DAY = '2026-03-10';

function flatBaseline(asOf: string, mean = 10, std = 1): BaselineStats {
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  return { windowStartMs: asOfMs - 30 * 86_400_000, asOfMs, count: 720, mean, std, median: mean, mad: std * 0.67, meanAbsDev: std * 0.8, min: mean - 3, max: mean + 3 };
}

const incoming = (...snapshots: HourlySnapshot[]) => snapshots.map((s) => ({ snapshot: s, occurredAtMs: Date.now() }));

describe('JudgeSnapshotsUseCase', () => {
  it('fires once on a spike, stays quiet while it lasts, resolves after two normal hours', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    await t.useCase.execute(incoming(snapshot(DAY, 0, '10.2'), snapshot(DAY, 1, '35.5'), snapshot(DAY, 2, '36'), snapshot(DAY, 3, '9.8')));
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing']);
    await t.useCase.execute(incoming(snapshot(DAY, 4, '10.1')));
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing', 'resolved']);

    const [firing, resolved] = t.events.published.map((n) => n.anomaly);
    expect(anomalySchema.parse(firing)).toMatchObject({
      state: 'firing',
      series: { domainId: 'd1', projectId: 'p1', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'USD' },
      window: { start: '2026-03-10T01:00:00.000Z', end: '2026-03-10T02:00:00.000Z' },
      observed: '35.5',
      expected: '10',
      z: 25.5,
      ratio: 3.55,
      rule: 'seed: z > 3 OR ratio > 2',
      severity: 'warning',
      baselineWindow: { from: '2026-02-08', to: DAY, count: 720 },
      contributors: [],
    });
    expect(resolved).toMatchObject({ anomalyId: firing!.anomalyId, state: 'resolved', window: { start: '2026-03-10T01:00:00.000Z', end: '2026-03-10T03:00:00.000Z' } });
    expect(t.events.published[0]!.key).toBe('d1|p1|compute');
    expect(new Set(t.events.published.map((n) => n.eventId)).size).toBe(2);
    expect(t.anomalies.docs.get(firing!.anomalyId)?.anomaly.state).toBe('resolved');
    expect(await t.registry.getSingleMetricAsString('costwatch_detections_total')).toContain('costwatch_detections_total{rule="seed",severity="warning"} 1');
    expect(await t.registry.getSingleMetricAsString('costwatch_anomalies_open')).toContain('costwatch_anomalies_open 0');
  });

  it('a rule testing ewmaZ fires on a spike against the series\' own EWMA, kept across a restart and learned once per hour', async () => {
    const rule = { expression: 'ewmaZ > 6', minHistoryHours: 0 };
    const steady = Array.from({ length: 20 }, (_, h) => snapshot(DAY, h, h % 2 === 0 ? '10' : '11'));
    const run = async (restartAt?: number) => {
      const t = detectorUnderTest(rule);
      t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY, 100, 50));
      let useCase = t.useCase;
      for (const [i, hour] of steady.entries()) {
        if (i === restartAt) useCase = t.restart();
        // Every hour is delivered twice (a redelivery after a crash): learned once.
        await useCase.execute(incoming(hour));
        await useCase.execute(incoming(hour));
      }
      await useCase.execute(incoming(snapshot(DAY, 20, '14')));
      return t.events.published.map((n) => [n.anomaly.state, n.anomaly.rule, n.anomaly.window.start]);
    };
    // The stored baseline (mean 100, std 50) sees nothing; the EWMA of 10/11 does.
    const uninterrupted = await run();
    expect(uninterrupted).toEqual([['firing', 'custom: ewmaZ > 6', '2026-03-10T20:00:00.000Z']]);
    expect(await run(11)).toEqual(uninterrupted);
  });

  describe('rolling 24 hours', () => {
    it('a window holding last month\'s purchase again (a recurring charge) is not an anomaly', async () => {
      const t = detectorUnderTest({ recurringTolerance: 0.25 }, true);
      const previousMonth = { startMs: Date.parse(`${DAY}T00:00:00Z`), stepMs: 3_600_000, values: Array.from({ length: 24 }, (_, h) => (h === 1 ? 500 : 10)) };
      t.baselines.baselines.set(`${DAY}|${SERIES}`, { ...flatBaseline(DAY, 10, 2), previousMonth });
      t.baselines.dailyBaselines.set(`${DAY}|${SERIES}`, { stats: flatBaseline(DAY, 240, 5), activeFraction: 1, active: null });
      await t.useCase.execute(incoming(snapshot(DAY, 0, '10', 1, { trailing24h: '240' }), snapshot(DAY, 1, '505', 1, { trailing24h: '735' })));
      for (let hour = 2; hour < 6; hour += 1) await t.useCase.execute(incoming(snapshot(DAY, hour, '10', 1, { trailing24h: '735' })));
      expect(t.events.published).toEqual([]);
      expect(await t.registry.getSingleMetricAsString('costwatch_snapshots_judged_total')).toContain('verdict="recurring"} 1');
    });

    // Hours of 10 ± 2; days of 240 ± 5.
    const withBaselines = () => {
      const t = detectorUnderTest({}, true);
      t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY, 10, 2));
      t.baselines.dailyBaselines.set(`${DAY}|${SERIES}`, { stats: flatBaseline(DAY, 240, 5), activeFraction: 1, active: null });
      return t;
    };

    it('a ramp that no single hour shows fires once its trailing 24 hours are off the daily totals, before the day closes', async () => {
      const t = withBaselines();
      // Each hour 2.5 above its level (z 1.25, ratio 1.25: normal on its own); the window adds up.
      for (let hour = 0; hour < 12; hour += 1) await t.useCase.execute(incoming(snapshot(DAY, hour, '12.5', 1, { trailing24h: String(240 + 2.5 * (hour + 1)) })));
      const fired = t.events.published.map((n) => n.anomaly);
      // 265 at 09:00 is the first window past the seed rule and the 10 % floor.
      expect(fired.map((a) => [a.state, a.granularity, a.window.start, a.observed, a.expected])).toEqual([['firing', 'rolling-24h', '2026-03-10T09:00:00.000Z', '265', '240']]);
      expect(fired[0]!.rule).toBe('seed: z > 3 OR ratio > 2');
      expect(await t.registry.getSingleMetricAsString('costwatch_snapshots_judged_total')).not.toContain('verdict="anomaly"');
    });

    it('a window holding an hour that was anomalous on its own is that hour\'s anomaly, not a second one', async () => {
      const t = withBaselines();
      await t.useCase.execute(incoming(snapshot(DAY, 0, '10', 1, { trailing24h: '240' }), snapshot(DAY, 1, '60', 1, { trailing24h: '290' })));
      for (let hour = 2; hour < 12; hour += 1) await t.useCase.execute(incoming(snapshot(DAY, hour, '10', 1, { trailing24h: '290' })));
      expect(t.events.published.map((n) => [n.anomaly.state, n.anomaly.granularity])).toEqual([
        ['firing', 'hourly'],
        ['resolved', 'hourly'],
      ]);
    });
  });

  it('replaying the same snapshots (same revisions) judges nothing again and publishes nothing', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    const hours = [snapshot(DAY, 0, '10'), snapshot(DAY, 1, '40'), snapshot(DAY, 2, '10'), snapshot(DAY, 3, '10')];
    await t.useCase.execute(incoming(...hours));
    const before = { events: t.events.published.length, docs: t.anomalies.docs.size };
    await t.useCase.execute(incoming(...hours));
    // And after a restart, from the stored state only.
    await t.restart().execute(incoming(...hours));
    expect({ events: t.events.published.length, docs: t.anomalies.docs.size }).toEqual(before);
    expect(before).toEqual({ events: 2, docs: 1 });
    expect(await t.registry.getSingleMetricAsString('costwatch_snapshots_judged_total')).toContain('verdict="stale"} 8');
  });

  it('normal hours of a quiet series write no state; a restart judges them again to the same effect', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    const quiet = [0, 1, 2, 3, 4, 5].map((h) => snapshot(DAY, h, '10'));
    await t.useCase.execute(incoming(...quiet));
    expect(t.states.writes).toBe(0);
    // A spike is state a restart needs: written. Its resolution too.
    await t.useCase.execute(incoming(snapshot(DAY, 6, '40')));
    expect(t.states.writes).toBe(1);
    await t.useCase.execute(incoming(snapshot(DAY, 7, '10'), snapshot(DAY, 8, '10')));
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing', 'resolved']);
    expect(t.states.writes).toBe(2);
    // Redelivered after a restart: the unsaved normal hours are judged again, nothing new comes out.
    await t.restart().execute(incoming(...quiet, snapshot(DAY, 6, '40'), snapshot(DAY, 7, '10'), snapshot(DAY, 8, '10')));
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing', 'resolved']);
    expect(t.anomalies.docs.size).toBe(1);
  });

  it('a restated hour (higher revision) is judged again; an older revision is ignored', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    await t.useCase.execute(incoming(snapshot(DAY, 5, '10', 2)));
    await t.useCase.execute(incoming(snapshot(DAY, 5, '50', 1)));
    expect(t.events.published).toEqual([]);
    await t.useCase.execute(incoming(snapshot(DAY, 5, '50', 3)));
    expect(t.events.published.map((n) => [n.anomaly.state, n.anomaly.observed])).toEqual([['firing', '50']]);
  });

  it('a restart resumes the lifecycle from the stored series state', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    await t.useCase.execute(incoming(snapshot(DAY, 1, '40'), snapshot(DAY, 2, '10')));
    const restarted = t.restart();
    await restarted.execute(incoming(snapshot(DAY, 3, '10')));
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing', 'resolved']);
  });

  it('waits for a baseline that is not written yet, then judges in hour order', async () => {
    const t = detectorUnderTest();
    t.baselines.openDays.add('2026-03-09');
    await t.useCase.execute(incoming(snapshot(DAY, 0, '40'), snapshot(DAY, 1, '10')));
    expect(t.events.published).toEqual([]);
    expect(t.useCase.pendingSeries).toBe(1);
    expect(t.states.docs.get(SERIES)?.pending).toHaveLength(2);

    // The previous day closes: the baseline appears. A restarted detector finds the waiting hours too.
    t.baselines.openDays.clear();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    const restarted = t.restart();
    await restarted.recheckPending();
    expect(t.events.published.map((n) => [n.anomaly.state, n.anomaly.window.start])).toEqual([['firing', '2026-03-10T00:00:00.000Z']]);
    expect(restarted.pendingSeries).toBe(0);
  });

  it('a new series in a known project (or domain) is first-seen; nothing when first-seen is off', async () => {
    const on = detectorUnderTest();
    on.baselines.baselines.set(`${DAY}|d1|p1|*|USD`, flatBaseline(DAY, 40));
    await on.useCase.execute(incoming(snapshot(DAY, 0, '5')));
    expect(on.events.published.map((n) => n.anomaly.rule)).toEqual(['seed: first-seen']);
    const inDomain = detectorUnderTest();
    inDomain.baselines.baselines.set(`${DAY}|d1|*|*|USD`, flatBaseline(DAY, 40));
    await inDomain.useCase.execute(incoming(snapshot(DAY, 0, '5')));
    expect(inDomain.events.published.map((n) => n.anomaly.rule)).toEqual(['seed: first-seen']);
    const off = detectorUnderTest({ firstSeenMin: null });
    off.baselines.baselines.set(`${DAY}|d1|p1|*|USD`, flatBaseline(DAY, 40));
    await off.useCase.execute(incoming(snapshot(DAY, 0, '5')));
    expect(off.events.published).toEqual([]);
  });

  it('the first collection of a history is quiet: no first-seen where neither the project nor the domain has history', async () => {
    const t = detectorUnderTest();
    await t.useCase.execute(incoming(snapshot(DAY, 0, '5'), snapshot(DAY, 0, '7', 1, { serviceId: 'disk' })));
    expect(t.events.published).toEqual([]);
    expect(await t.registry.getSingleMetricAsString('costwatch_snapshots_judged_total')).toContain('verdict="cold-start"} 2');
  });

  it('std = 0: any increase is anomalous with z reported as null (infinite)', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, { ...flatBaseline(DAY, 10, 0), mad: 0, meanAbsDev: 0 });
    await t.useCase.execute(incoming(snapshot(DAY, 0, '10'), snapshot(DAY, 1, '10.5')));
    expect(t.events.published.map((n) => [n.anomaly.z, n.anomaly.ratio])).toEqual([[null, 1.05]]);
  });

  it('re-publishes an open anomaly only on escalation or notable growth', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    await t.useCase.execute(incoming(snapshot(DAY, 1, '25'), snapshot(DAY, 2, '26'), snapshot(DAY, 3, '27'), snapshot(DAY, 4, '150')));
    expect(t.events.published.map((n) => [n.anomaly.severity, n.anomaly.observed])).toEqual([
      ['warning', '25'],
      ['critical', '150'],
    ]);
  });

  it('a failed publish is retried with the same event ids', async () => {
    const t = detectorUnderTest();
    t.baselines.baselines.set(`${DAY}|${SERIES}`, flatBaseline(DAY));
    t.events.failNext = true;
    await expect(t.useCase.execute(incoming(snapshot(DAY, 1, '40')))).rejects.toThrow('broker down');
    await t.useCase.execute(incoming(snapshot(DAY, 1, '40')));
    expect(t.events.published).toHaveLength(1);
    expect(t.anomalies.docs.size).toBe(1);
    expect(t.events.published[0]!.anomaly.anomalyId).toBe([...t.anomalies.docs.keys()][0]);
  });
});
