import pino from 'pino';
import { Registry } from 'prom-client';
import { billingRecordId, type BillingRecord, type DailyTotal, type HourlySnapshot } from '@costwatch/contracts';
import type { BaselinesRepository } from '../infra/baselines.repository';
import type { DaysRepository } from '../infra/days.repository';
import type { RecordsRepository } from '../infra/records.repository';
import type { DailyDocument, RollupsRepository } from '../infra/rollups.repository';
import type { SeriesDayUpdate, SeriesDocument, SeriesFields, SeriesRepository } from '../infra/series.repository';
import { AggregateRecordsUseCase, type IncomingRecord } from './aggregate-records.use-case';
import { BaselineMetrics } from './baseline-metrics';
import type { BillingEventsPort } from './billing-events.port';
import { CloseDayUseCase } from './close-day.use-case';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const START = Date.parse('2026-02-02T00:00:00Z');

/** Hour `h` (from START) of one series; compute costs h+1 per hour, storage twice that. */
function record(serviceId: 'compute' | 'storage', h: number): BillingRecord {
  const identity = { source: 'synthetic' as const, domainId: 'd1', projectId: 'p1', serviceId, periodStart: new Date(START + h * HOUR_MS).toISOString(), granularity: 'HOURLY' as const, currency: 'USD' };
  const amount = String(((h % 24) + 1) * (serviceId === 'compute' ? 1 : 2));
  return { ...identity, id: billingRecordId(identity), serviceName: serviceId, periodEnd: new Date(START + (h + 1) * HOUR_MS).toISOString(), amount, collectedAt: new Date(START + 2 * DAY_MS).toISOString() };
}

/** The aggregator and day closing over in-memory stores, one consumer owning partition 0. */
function aggregatorUnderTest(options: { writeBehind?: { ms: number; maxDocuments: number }; writeDaily?: (docs: readonly DailyDocument[]) => Promise<void> } = {}) {
  const daily = new Map<string, DailyDocument>();
  const series = new Map<string, SeriesDocument>();
  const days = new Map<string, boolean>();
  const totals: DailyTotal[] = [];
  const snapshots: HourlySnapshot[] = [];
  const failures = { dailyTotals: 0 };
  const events: BillingEventsPort = {
    publishSnapshots: (published: readonly HourlySnapshot[]) => Promise.resolve(void snapshots.push(...published)),
    publishDailyTotals: (published) => (failures.dailyTotals-- > 0 ? Promise.reject(new Error('broker down')) : Promise.resolve(void totals.push(...published))),
    publishDayClosed: () => Promise.resolve(),
  };
  const daysRepository = {
    touch: (dates: readonly string[]) => Promise.resolve(dates.forEach((date) => days.set(date, days.get(date) ?? false))),
    openDays: () => Promise.resolve([...days].filter(([, closed]) => !closed).map(([date]) => date).sort()),
    isClosed: (date: string) => Promise.resolve(days.get(date) === true),
    markClosed: (date: string) => Promise.resolve(void days.set(date, true)),
  } as unknown as DaysRepository;
  const seriesRepository = {
    updateDays: (updates: readonly SeriesDayUpdate[]) =>
      Promise.resolve(
        updates.forEach(({ seriesId, identity, date, day }) => {
          const doc = series.get(seriesId) ?? { _id: seriesId, ...identity, days: {} };
          series.set(seriesId, { ...doc, ...identity, days: { ...doc.days, [date]: day } });
        }),
      ),
    ensure: (known: ReadonlyMap<string, SeriesFields>) =>
      Promise.resolve(known.forEach((identity, seriesId) => series.set(seriesId, series.get(seriesId) ?? { _id: seriesId, ...identity, days: {} }))),
    all: () => Promise.resolve([...series.values()]),
  } as unknown as SeriesRepository;
  const rollups = {
    findDaily: (ids: readonly string[]) => Promise.resolve(ids.flatMap((id) => (daily.has(id) ? [structuredClone(daily.get(id)!)] : []))),
    // Stored as a copy, as a database would: later changes to the objects do not reach it.
    writeDaily: options.writeDaily ?? ((docs: readonly DailyDocument[]) => Promise.resolve(docs.forEach((doc) => daily.set(doc._id, structuredClone(doc))))),
  } as unknown as RollupsRepository;
  const settings = { dayCloseGraceMs: 0, baselineWindowDays: 30, storeRecords: false, writeBehindMs: options.writeBehind?.ms ?? 0, writeBehindMaxDocuments: options.writeBehind?.maxDocuments ?? 1_000, cacheDocuments: 1_000 };
  const metrics = new BaselineMetrics(new Registry());
  const baselines = { write: () => Promise.resolve() } as unknown as BaselinesRepository;
  const closeDay = new CloseDayUseCase(seriesRepository, rollups, baselines, daysRepository, events, settings, pino({ level: 'silent' }), metrics);
  const records = { replace: () => Promise.resolve() } as unknown as RecordsRepository;
  const useCase = new AggregateRecordsUseCase(records, rollups, seriesRepository, daysRepository, events, settings, closeDay, metrics);
  useCase.rejoined([0], () => Promise.resolve([]));
  return { useCase, totals, snapshots, series, failures, closedDays: () => [...days].filter(([, closed]) => closed).map(([date]) => date) };
}

const onPartition0 = (records: readonly BillingRecord[]): IncomingRecord[] => records.map((r) => ({ record: r, partition: 0 }));
const hours = (serviceId: 'compute' | 'storage', from: number, to: number) => Array.from({ length: to - from }, (_, i) => record(serviceId, from + i));

describe('AggregateRecordsUseCase trailing 24 hours', () => {
  // compute costs 1..24 over the first day (300); on the second, 1 and 2, then 100 at 02:00.
  const spike = { ...record('compute', 26), amount: '100' };
  const expected = 294 + 1 + 2 + 100;

  it.each([
    ['in one batch', [[...hours('compute', 0, 26), spike]]],
    ['the day before from an earlier batch', [hours('compute', 0, 24), [...hours('compute', 24, 26), spike]]],
  ])('each snapshot carries the exact cost of the 24 hours ending with it (%s)', async (_, batches) => {
    const t = aggregatorUnderTest();
    for (const batch of batches) await t.useCase.execute(onPartition0(batch));
    const trailing = (date: string, hour: number) => t.snapshots.find((x) => x.date === date && x.hour === hour)?.trailing24h;
    expect(trailing('2026-02-02', 0)).toBe('1');
    expect(trailing('2026-02-02', 23)).toBe('300');
    expect(trailing('2026-02-03', 2)).toBe(String(expected));
  });
});

describe('AggregateRecordsUseCase day closing', () => {
  const firstDay = [...hours('compute', 0, 24), ...hours('storage', 0, 24)];
  // The project's total (serviceId "*") is published beside its services', summed exactly.
  const complete = [
    { date: '2026-02-02', serviceId: '*', amount: '900', recordCount: 48 },
    { date: '2026-02-02', serviceId: 'compute', amount: '300', recordCount: 24 },
    { date: '2026-02-02', serviceId: 'storage', amount: '600', recordCount: 24 },
  ];

  it.each([
    // Live order, the batch cut between two series' last hour of the day.
    ['in time order', [...hours('compute', 0, 24), ...hours('storage', 0, 23)]],
    // A replayed day comes sorted by record id: its last hour can come first.
    ['in any order within the day', [record('storage', 23), ...hours('compute', 0, 6)]],
  ])('a batch that ends inside a day (%s) does not close it: its totals go out once, complete', async (_, firstBatch) => {
    const t = aggregatorUnderTest();
    const inFirst = new Set(firstBatch.map((r) => r.id));
    const rest = firstDay.filter((r) => !inFirst.has(r.id));
    await t.useCase.execute(onPartition0(firstBatch));
    await t.useCase.execute(onPartition0(rest));
    expect(t.totals).toEqual([]);
    expect(t.closedDays()).toEqual([]);

    // The partition moves on to the next day: now the first day is whole.
    await t.useCase.execute(onPartition0([record('compute', 24), record('storage', 24)]));
    expect(t.closedDays()).toEqual(['2026-02-02']);
    const published = t.totals.map(({ date, serviceId, amount, recordCount }) => ({ date, serviceId, amount, recordCount }));
    expect(published.sort((a, b) => a.serviceId.localeCompare(b.serviceId))).toEqual(complete);
  });

  it('a day that fails to close does not fail the batch (its records are merged): it closes after a later batch', async () => {
    const t = aggregatorUnderTest();
    t.failures.dailyTotals = 1;
    await expect(t.useCase.execute(onPartition0([...firstDay, record('compute', 24), record('storage', 24)]))).resolves.toBeUndefined();
    expect(t.closedDays()).toEqual([]);
    await t.useCase.execute(onPartition0([record('compute', 25)]));
    expect(t.closedDays()).toEqual(['2026-02-02']);
    expect(t.totals.filter((x) => x.serviceId === 'compute').map((x) => x.amount)).toEqual(['300']);
  });

  it('a restatement of a closed day republishes its total, and its project\'s, and replaces the day in the series history', async () => {
    const t = aggregatorUnderTest();
    await t.useCase.execute(onPartition0([...firstDay, record('compute', 24), record('storage', 24)]));
    expect(t.closedDays()).toEqual(['2026-02-02']);
    expect(t.series.get('d1|p1|compute|USD')?.days['2026-02-02']?.total).toBe('300');
    t.totals.length = 0;

    // Hour 5 of compute cost 6; the provider restates it as 106.
    const restated = { ...record('compute', 5), amount: '106', collectedAt: new Date(START + 3 * DAY_MS).toISOString() };
    await t.useCase.execute(onPartition0([restated]));
    expect(t.totals.map(({ date, serviceId, amount, recordCount }) => ({ date, serviceId, amount, recordCount }))).toEqual([
      { date: '2026-02-02', serviceId: 'compute', amount: '400', recordCount: 24 },
      // The project's total (compute + storage), newer than the one its close published: judged again.
      { date: '2026-02-02', serviceId: '*', amount: '1000', recordCount: 48 },
    ]);
    expect(t.totals[1]!.revision).toBe(Date.parse(restated.collectedAt));
    expect(t.totals[1]!.children?.find((c) => c.serviceId === 'compute')?.amount).toBe('400');
    const day = t.series.get('d1|p1|compute|USD')?.days['2026-02-02'];
    expect(day?.total).toBe('400');
    expect(day?.hours[5]).toBe(106);
    // The open day is not touched by the restatement of the closed one.
    expect(t.series.get('d1|p1|compute|USD')?.days['2026-02-03']).toBeUndefined();
  });
});

describe('AggregateRecordsUseCase day documents in memory', () => {
  it('does not change a day document while it is being written; the next version is written after it', async () => {
    const writes: Array<{ docs: readonly DailyDocument[]; release: () => void }> = [];
    const t = aggregatorUnderTest({
      // Every changed document is written at once, and each write waits until the test releases it.
      writeBehind: { ms: 60_000, maxDocuments: 1 },
      writeDaily: (docs) => new Promise<void>((release) => writes.push({ docs, release })),
    });
    const first = await t.useCase.execute(onPartition0([record('compute', 0)]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const beingWritten = writes[0]!.docs[0]!;
    expect([...beingWritten.records.keys()]).toEqual([record('compute', 0).id]);

    // Hour 1 of the same day arrives while hour 0's document is in the write.
    const second = await t.useCase.execute(onPartition0([record('compute', 1)]));
    expect([...beingWritten.records.keys()]).toEqual([record('compute', 0).id]);
    expect(beingWritten.amount).toBe('1');

    writes[0]!.release();
    await first?.durable;
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
    expect(writes[1]!.docs[0]!.records.size).toBe(2);
    expect(writes[1]!.docs[0]!.amount).toBe('3');
    writes[1]!.release();
    await second?.durable;
  });
});
