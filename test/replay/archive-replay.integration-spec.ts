import type { MongoClient } from 'mongodb';
import pino from 'pino';
import { Registry } from 'prom-client';
import { billingRecordId, dayPrefix, type BillingRecord } from '@costwatch/contracts';
import { Collections, connectMongo } from '@costwatch/mongo';
import { S3Store } from '@costwatch/s3';
import { testEndpoints, uniqueName } from '@costwatch/testing';
import { ArchiveRecordsUseCase } from '../../services/baseline/src/application/archive-records.use-case';
import { BaselineMetrics } from '../../services/baseline/src/application/baseline-metrics';
import type { BaselineSettings } from '../../services/baseline/src/application/billing-events.port';
import { DaysRepository } from '../../services/baseline/src/infra/days.repository';
import { S3ArchiveSource } from '../../services/collector/src/sources/archive/s3-archive.source';

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 1, 2);
const DAYS = 3;
const series = ['compute', 'storage', 'network', 'gpu'];

function record(serviceId: string, hour: number, amount = '1.5', collectedAt = new Date(START_MS + DAYS * 24 * HOUR_MS).toISOString()): BillingRecord {
  const identity = { source: 'synthetic' as const, domainId: 'd1', projectId: 'p1', serviceId, periodStart: new Date(START_MS + hour * HOUR_MS).toISOString(), granularity: 'HOURLY' as const, currency: 'USD' };
  return { ...identity, id: billingRecordId(identity), serviceName: serviceId, periodEnd: new Date(START_MS + (hour + 1) * HOUR_MS).toISOString(), amount, collectedAt };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * A replay never duplicates archive lines: records archived by the archiver, read back from
 * S3 as `replay-archive` reads them and archived again (by the same archiver and by a
 * restarted one, in other batches), leave every record revision once in the part files.
 */
describe('archive replay against real S3 and MongoDB', () => {
  const endpoints = testEndpoints();
  const store = new S3Store({ ...endpoints.s3, bucket: uniqueName('archive-replay') });
  const dbName = uniqueName('archive_replay').replace(/-/g, '_');
  let mongo: MongoClient;
  let days: DaysRepository;
  const records = series.flatMap((serviceId) => Array.from({ length: DAYS * 24 }, (_, h) => record(serviceId, h)));
  const partitionOf = (r: BillingRecord) => series.indexOf(r.serviceId) % 2;

  beforeAll(async () => {
    await store.ensureBucket();
    ({ client: mongo } = await connectMongo(endpoints.mongoUrl, dbName));
    days = new DaysRepository(mongo.db(dbName), Collections.archiveDays);
  });

  afterAll(async () => {
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
    store.destroy();
  });

  /** An archiver process owning both partitions. */
  function archiver(): ArchiveRecordsUseCase {
    const settings: BaselineSettings = { dayCloseGraceMs: 2 * HOUR_MS, baselineWindowDays: 30, storeRecords: false, writeBehindMs: 0, writeBehindMaxDocuments: 1_000, cacheDocuments: 1_000 };
    const useCase = new ArchiveRecordsUseCase(store, days, settings, pino({ level: 'silent' }), new BaselineMetrics(new Registry()));
    useCase.rejoined([0, 1], () => Promise.resolve([]));
    return useCase;
  }

  async function archive(useCase: ArchiveRecordsUseCase, items: readonly BillingRecord[], size: number): Promise<void> {
    for (const batch of batches(items, size)) await useCase.execute(batch.map((r) => ({ record: r, partition: partitionOf(r) })));
  }

  /** Every line of every part file of the period. */
  async function partLines(): Promise<string[]> {
    const lines: string[] = [];
    for (let d = 0; d < DAYS; d += 1) {
      const date = new Date(START_MS + d * 24 * HOUR_MS).toISOString().slice(0, 10);
      for (const key of await store.listKeys(`${dayPrefix(date)}parts/`)) {
        lines.push(...((await store.getText(key)) ?? '').split('\n').filter((line) => line !== ''));
      }
    }
    return lines;
  }

  /** What `replay-archive` publishes for the period. */
  async function replayed(): Promise<BillingRecord[]> {
    const out: BillingRecord[] = [];
    for await (const day of new S3ArchiveSource(store).days({ from: new Date(START_MS), to: new Date(START_MS + DAYS * 24 * HOUR_MS) })) out.push(...day.batch.records);
    return out;
  }

  it('archives, then replays the same records twice: the part files hold each record once', async () => {
    const live = archiver();
    await archive(live, records, 50);
    expect(await partLines()).toHaveLength(records.length);

    const again = await replayed();
    expect(again).toHaveLength(records.length);
    await archive(live, again, 37);
    await archive(archiver(), [...again].reverse(), 64); // a restarted archiver, other batches, other order

    const lines = await partLines();
    expect(lines).toHaveLength(records.length);
    expect(new Set(lines).size).toBe(records.length);
    expect(new Set(lines.map((line) => (JSON.parse(line) as BillingRecord).id)).size).toBe(records.length);
  });

  it('a restated record is archived once more, and replaying it adds nothing', async () => {
    const restated = record('gpu', 30, '9.25', new Date(START_MS + (DAYS + 1) * 24 * HOUR_MS).toISOString());
    await archive(archiver(), [restated], 10);
    await archive(archiver(), await replayed(), 100);

    const lines = (await partLines()).map((line) => JSON.parse(line) as BillingRecord);
    expect(lines).toHaveLength(records.length + 1);
    expect(lines.filter((r) => r.id === restated.id).map((r) => r.amount).sort()).toEqual(['1.5', '9.25']);
    expect((await replayed()).find((r) => r.id === restated.id)?.amount).toBe('9.25');
  });
});
