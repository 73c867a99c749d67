import { anomalySchema } from '@costwatch/contracts';
import type { BaselineStats } from '@costwatch/detection';
import { dailyTotal, dailyUnderTest } from '../../test/in-memory';
import type { JudgedBaseline } from './ports';

const SERIES = 'd1|p1|compute|USD';
const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

function stats(asOf: string, mean: number, std: number, count = 30): BaselineStats {
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  return { windowStartMs: asOfMs - 30 * DAY_MS, asOfMs, count, mean, std, median: mean, mad: std * 0.67, meanAbsDev: std * 0.8, min: mean - 3 * std, max: mean + 3 * std };
}

/** An always-on service costing about 240 a day. */
const steady = (asOf: string): JudgedBaseline => ({ stats: stats(asOf, 240, 10), activeFraction: 1, active: null });
/** A batch job with a cost on 40 % of days: 100 a day while it runs. */
const intermittent = (asOf: string): JudgedBaseline => ({ stats: stats(asOf, 40, 49), activeFraction: 0.4, active: stats(asOf, 100, 5, 12) });

describe('JudgeDailyTotalsUseCase', () => {
  const D = '2026-03-10';

  it('fires once on a daily spike (seed: z > 3 OR ratio > 2 on the daily total), labelled daily, and resolves on the next normal day', async () => {
    const t = dailyUnderTest();
    for (const d of [D, addDays(D, 1), addDays(D, 2)]) t.baselines.dailyBaselines.set(`${d}|${SERIES}`, steady(d));
    await t.useCase.execute([{ total: dailyTotal(D, '700') }]);
    await t.useCase.execute([{ total: dailyTotal(addDays(D, 1), '650') }]);
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing']);
    await t.useCase.execute([{ total: dailyTotal(addDays(D, 2), '245') }]);
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing', 'resolved']);
    const firing = anomalySchema.parse(t.events.published[0]!.anomaly);
    expect(firing).toMatchObject({
      granularity: 'daily',
      kind: 'cost',
      observed: '700',
      expected: '240',
      z: 46,
      rule: 'seed: z > 3 OR ratio > 2',
      window: { start: '2026-03-10T00:00:00.000Z', end: '2026-03-11T00:00:00.000Z' },
      // A day's worth of impact: 460 is above 10 × 24 (warning), below 100 × 24.
      severity: 'warning',
    });
  });

  it('a replay (same revisions) publishes nothing; a restated day (newer revision) is judged again', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|${SERIES}`, steady(D));
    await t.useCase.execute([{ total: dailyTotal(D, '700', 1) }]);
    await t.restart().execute([{ total: dailyTotal(D, '700', 1) }]);
    expect(t.events.published).toHaveLength(1);
    // The late correction brings the day back to normal: the anomaly resolves.
    await t.restart().execute([{ total: dailyTotal(D, '241', 2) }, { total: dailyTotal(D, '700', 1) }]);
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing', 'resolved']);
  });

  it('an always-on series that costs nothing for a day is a drop; an intermittent one is normal when off and when running at its usual cost', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|${SERIES}`, steady(D));
    t.baselines.dailyBaselines.set(`${D}|d1|p1|batch|USD`, intermittent(D));
    t.baselines.dailyBaselines.set(`${addDays(D, 1)}|d1|p1|batch|USD`, intermittent(addDays(D, 1)));
    await t.useCase.execute([
      { total: dailyTotal(D, '0') },
      { total: dailyTotal(D, '0', 0, { serviceId: 'batch' }) },
      { total: dailyTotal(addDays(D, 1), '104', 1, { serviceId: 'batch' }) },
    ]);
    expect(t.events.published.map((n) => [n.anomaly.series.serviceId, n.anomaly.rule])).toEqual([['compute', 'seed: drop-to-zero']]);
  });

  it('an intermittent job that stops switching off (or costs far more while running) is an anomaly', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|d1|p1|batch|USD`, intermittent(D));
    await t.useCase.execute([{ total: dailyTotal(D, '400', 1, { serviceId: 'batch' }) }]);
    expect(t.events.published.map((n) => n.anomaly.series.serviceId)).toEqual(['batch']);
  });

  it('no daily history, or too little of it, never fires (no first-seen flood on the first day of a history)', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${addDays(D, 1)}|${SERIES}`, { stats: stats(addDays(D, 1), 240, 10, 3), activeFraction: 1, active: null });
    await t.useCase.execute([{ total: dailyTotal(D, '900') }, { total: dailyTotal(addDays(D, 1), '900') }, { total: dailyTotal(addDays(D, 1), '0', 0, { serviceId: 'gone' }) }]);
    expect(t.events.published).toHaveLength(0);
  });

  it('an hourly series: a day whose excess one anomalous hour already showed raises nothing more; a small rise in every hour raises a daily anomaly', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|${SERIES}`, steady(D));
    // Hourly: about 10 an hour, noisy enough that 14 an hour is unremarkable on its own.
    t.baselines.baselines.set(`${D}|${SERIES}`, stats(D, 10, 3, 720));
    const spikeHour = Array.from({ length: 24 }, (_, h) => (h === 10 ? '90' : '10'));
    await t.useCase.execute([{ total: dailyTotal(D, '320', 1, { hours: spikeHour }) }]);
    expect(t.events.published).toHaveLength(0);
    await t.useCase.execute([{ total: dailyTotal(D, '336', 2, { hours: new Array<string>(24).fill('14') }) }]);
    expect(t.events.published.map((n) => [n.anomaly.granularity, n.anomaly.observed])).toEqual([['daily', '336']]);
  });

  it('a tiny relative change over a very steady history is not a daily anomaly (10 % floor)', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|${SERIES}`, { stats: stats(D, 240, 0.1), activeFraction: 1, active: null });
    await t.useCase.execute([{ total: dailyTotal(D, '241') }]);
    expect(t.events.published).toHaveLength(0);
  });

  it('a project total that moves names the services that moved it, ranked by their share of the change', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|d1|p1|*|USD`, { stats: stats(D, 300, 10), activeFraction: 1, active: null });
    t.baselines.dailyBaselines.set(`${D}|d1|p1|vm|USD`, { stats: stats(D, 200, 8), activeFraction: 1, active: null });
    t.baselines.dailyBaselines.set(`${D}|d1|p1|disk|USD`, { stats: stats(D, 100, 4), activeFraction: 1, active: null });
    const children = [
      { projectId: 'p1', serviceId: 'vm', serviceName: 'VM', amount: '776' },
      { projectId: 'p1', serviceId: 'disk', serviceName: 'Disk', amount: '124' },
    ];
    await t.useCase.execute([{ total: dailyTotal(D, '900', 1, { serviceId: '*', serviceName: 'project p1', children }) }]);
    const [notice] = t.events.published;
    expect(notice!.anomaly.series.serviceId).toBe('*');
    // Delta 600: vm +576 (96 %), disk +24 (4 %).
    expect(notice!.anomaly.contributors).toEqual([
      { dimension: 'service', value: 'vm', observed: '776', expected: '200', share: 0.96 },
      { dimension: 'service', value: 'disk', observed: '124', expected: '100', share: 0.04 },
    ]);
  });

  it('a member younger than the project\'s history is measured against the days it did not exist too', async () => {
    const t = dailyUnderTest();
    t.baselines.dailyBaselines.set(`${D}|d1|p1|*|USD`, { stats: stats(D, 120, 10, 30), activeFraction: 1, active: null });
    t.baselines.dailyBaselines.set(`${D}|d1|p1|vm|USD`, { stats: stats(D, 100, 4, 30), activeFraction: 1, active: null });
    // Three days old, 300 a day since it appeared: 30 a day over the project's 30-day window.
    t.baselines.dailyBaselines.set(`${D}|d1|p1|gpu|USD`, { stats: stats(D, 300, 5, 3), activeFraction: 1, active: null });
    const children = [
      { projectId: 'p1', serviceId: 'vm', serviceName: 'VM', amount: '100' },
      { projectId: 'p1', serviceId: 'gpu', serviceName: 'GPU', amount: '300' },
    ];
    await t.useCase.execute([{ total: dailyTotal(D, '400', 1, { serviceId: '*', children }) }]);
    expect(t.events.published[0]!.anomaly.contributors.map((c) => [c.value, c.expected, c.share])).toEqual([['gpu', '30', 0.964]]);
  });

  it('a project total that moved because its batch job ran, at its usual cost while running, is not an anomaly', async () => {
    const t = dailyUnderTest();
    // The project's history: about 140 a day (the job runs on 40 % of days), steady enough that 203 is far out.
    t.baselines.dailyBaselines.set(`${D}|d1|p1|*|USD`, { stats: stats(D, 140, 10), activeFraction: 1, active: null });
    t.baselines.dailyBaselines.set(`${D}|d1|p1|vm|USD`, { stats: stats(D, 100, 4), activeFraction: 1, active: null });
    t.baselines.dailyBaselines.set(`${D}|d1|p1|batch|USD`, intermittent(D));
    const children = [
      { projectId: 'p1', serviceId: 'vm', serviceName: 'VM', amount: '101' },
      { projectId: 'p1', serviceId: 'batch', serviceName: 'Batch', amount: '102' },
    ];
    const project = (amount: string, patch: typeof children, revision: number) => dailyTotal(D, amount, revision, { serviceId: '*', serviceName: 'project p1', children: patch });
    await t.useCase.execute([{ total: project('203', children, 1) }]);
    expect(t.events.published).toHaveLength(0);
    // Restated: the same job costing 3× its usual while running is news, and named.
    await t.useCase.execute([{ total: project('401', [children[0]!, { ...children[1]!, amount: '300' }], 2) }]);
    expect(t.events.published.map((n) => n.anomaly.contributors[0]?.value)).toEqual(['batch']);
  });

  it('a silent domain raises one collection gap, extended while silent; its late data resolves it; replays change nothing', async () => {
    const t = dailyUnderTest();
    const closed = (date: string, silent: string[]) => ({ date, seriesCount: 3, watermark: `${addDays(date, 1)}T02:00:00Z`, silentDomains: silent.map((domainId) => ({ domainId, series: 4 })) });
    await t.useCase.dayClosed(closed(D, ['d2']));
    await t.useCase.dayClosed(closed(D, ['d2']));
    await t.restart().dayClosed(closed(addDays(D, 1), ['d2']));
    expect(t.events.published).toHaveLength(1);
    const gap = anomalySchema.parse(t.events.published[0]!.anomaly);
    expect(gap).toMatchObject({ kind: 'collection-gap', granularity: 'daily', state: 'firing', series: { domainId: 'd2', projectId: '*', serviceId: '*' }, rule: 'collection-gap: no record for 4 series' });
    // The late export for the first silent day arrives: the gap resolves.
    await t.useCase.execute([{ total: dailyTotal(D, '100', 5, { domainId: 'd2' }) }]);
    expect(t.events.published.map((n) => [n.anomaly.kind, n.anomaly.state])).toEqual([
      ['collection-gap', 'firing'],
      ['collection-gap', 'resolved'],
    ]);
    expect(t.events.published[1]!.anomaly.window.end).toBe('2026-03-12T00:00:00.000Z');
  });

  it('a domain reporting again the next day does not resolve its gap: the missing day is still missing', async () => {
    const t = dailyUnderTest();
    await t.useCase.dayClosed({ date: D, seriesCount: 3, watermark: `${addDays(D, 1)}T02:00:00Z`, silentDomains: [{ domainId: 'd2', series: 2 }] });
    await t.useCase.dayClosed({ date: addDays(D, 1), seriesCount: 5, watermark: `${addDays(D, 2)}T02:00:00Z`, silentDomains: [] });
    await t.useCase.execute([{ total: dailyTotal(addDays(D, 1), '100', 5, { domainId: 'd2' }) }]);
    expect(t.events.published.map((n) => n.anomaly.state)).toEqual(['firing']);
  });
});
