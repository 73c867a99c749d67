import pino from 'pino';
import { Registry } from 'prom-client';
import { billingRecordId, dayFileKey, type BillingRecord } from '@costwatch/contracts';
import type { S3Store } from '@costwatch/s3';
import type { DaysRepository } from '../infra/days.repository';
import { ArchiveRecordsUseCase } from './archive-records.use-case';
import { BaselineMetrics } from './baseline-metrics';

const HOUR_MS = 3_600_000;
const START = Date.parse('2026-02-02T00:00:00Z');

function record(h: number): BillingRecord {
  const identity = { source: 'synthetic' as const, domainId: 'd1', projectId: 'p1', serviceId: 'compute', periodStart: new Date(START + h * HOUR_MS).toISOString(), granularity: 'HOURLY' as const, currency: 'USD' };
  return { ...identity, id: billingRecordId(identity), serviceName: 'compute', periodEnd: new Date(START + (h + 1) * HOUR_MS).toISOString(), amount: '1', collectedAt: new Date(START).toISOString() };
}

/** The archiver over an in-memory bucket and day register, one consumer owning partition 0. */
function archiverUnderTest(objects = new Map<string, string>()) {
  const store = {
    putText: (key: string, body: string) => Promise.resolve(void objects.set(key, body)),
    getText: (key: string) => Promise.resolve(objects.get(key)),
    listKeys: (prefix: string) => Promise.resolve([...objects.keys()].filter((key) => key.startsWith(prefix))),
  } as unknown as S3Store;
  const days = new Map<string, boolean>();
  const register = {
    touch: (dates: readonly string[]) => Promise.resolve(dates.forEach((date) => days.set(date, days.get(date) ?? false))),
    openDays: () => Promise.resolve([...days].filter(([, closed]) => !closed).map(([date]) => date).sort()),
    isClosed: (date: string) => Promise.resolve(days.get(date) === true),
    markClosed: (date: string) => Promise.resolve(void days.set(date, true)),
  } as unknown as DaysRepository;
  const useCase = new ArchiveRecordsUseCase(store, register, { dayCloseGraceMs: 0, baselineWindowDays: 30, storeRecords: false, writeBehindMs: 0, writeBehindMaxDocuments: 1_000, cacheDocuments: 1_000 }, pino({ level: 'silent' }), new BaselineMetrics(new Registry()));
  useCase.rejoined([0], () => Promise.resolve([]));
  const dayFile = (date: string) => {
    const text = objects.get(dayFileKey(date));
    return text === undefined ? undefined : (JSON.parse(text) as BillingRecord[]);
  };
  return { useCase, dayFile, objects };
}

describe('ArchiveRecordsUseCase day closing', () => {
  it('writes no day file while a batch has ended inside the day, then one with the whole day', async () => {
    const t = archiverUnderTest();
    const day = Array.from({ length: 24 }, (_, h) => record(h));
    // The day's last hour comes first, as in a replayed day sorted by record id.
    await t.useCase.execute([day[23]!, ...day.slice(0, 5)].map((r) => ({ record: r, partition: 0 })));
    await t.useCase.execute(day.slice(5, 23).map((r) => ({ record: r, partition: 0 })));
    expect(t.dayFile('2026-02-02')).toBeUndefined();

    // The next day's first hour moves the clock past midnight (a single step of at most a day, see Watermark).
    await t.useCase.execute([{ record: record(24), partition: 0 }]);
    expect(t.dayFile('2026-02-02')).toHaveLength(24);
  });
});

describe('ArchiveRecordsUseCase replays', () => {
  const partLines = (objects: ReadonlyMap<string, string>) =>
    [...objects].filter(([key]) => key.includes('/parts/')).flatMap(([, body]) => body.split('\n').filter((line) => line !== ''));

  it('archiving records again, in other batches or after a restart, adds no line; a restatement adds one', async () => {
    const t = archiverUnderTest();
    const day = Array.from({ length: 24 }, (_, h) => record(h));
    await t.useCase.execute(day.slice(0, 12).map((r) => ({ record: r, partition: 0 })));
    await t.useCase.execute(day.slice(12).map((r) => ({ record: r, partition: 0 })));
    expect(partLines(t.objects)).toHaveLength(24);

    // A replay: the same records in different batches, some twice in one batch.
    await t.useCase.execute([...day.slice(6, 18), day[7]!].map((r) => ({ record: r, partition: 0 })));
    // Another instance (or this one after a restart) reads what the parts hold.
    const restarted = archiverUnderTest(t.objects);
    await restarted.useCase.execute(day.map((r) => ({ record: r, partition: 0 })));
    expect(partLines(t.objects)).toHaveLength(24);

    const restated = { ...day[3]!, amount: '2', collectedAt: new Date(START + 30 * HOUR_MS).toISOString() };
    await restarted.useCase.execute([{ record: restated, partition: 0 }, { record: day[3]!, partition: 0 }]);
    await restarted.useCase.execute([{ record: day[3]!, partition: 0 }]);
    expect(partLines(t.objects)).toHaveLength(25);
    expect(partLines(t.objects).filter((line) => line.includes('"amount":"2"'))).toHaveLength(1);
  });
});
