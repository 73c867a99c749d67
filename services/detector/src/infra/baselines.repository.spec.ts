import type { Db } from 'mongodb';
import type { ClosedDays } from '../application/ports';
import { BaselinesRepository } from './baselines.repository';

/** Closed days as the detector records them from billing.day-closed.v1. */
class ClosedDaysStub implements ClosedDays {
  readonly closed = new Set<string>();
  reads = 0;
  markClosed(date: string): Promise<void> {
    this.closed.add(date);
    return Promise.resolve();
  }
  isFinal(date: string): Promise<boolean> {
    this.reads += 1;
    return Promise.resolve([...this.closed].some((day) => day >= date));
  }
}

/**
 * Whether the previous day is final decides how a missing baseline reads: the aggregator
 * writes a day's baselines before it announces the day closed, so "closed" makes a miss final
 * and "not closed" means the baseline may still come.
 */
describe('BaselinesRepository.lookup', () => {
  const asOf = '2026-02-22';
  const previousDay = '2026-02-21';
  const baseline = { _id: `${asOf}|s1`, asOf, windowFrom: '2026-01-23', count: 168, mean: 10, std: 1, median: 10, mad: 0.5, meanAbsDev: 0.7 };

  function fakeDb(baselines: Map<string, object>) {
    const reads = { baselines: 0 };
    const db = {
      collection: () => ({
        findOne: async ({ _id }: { _id: string }) => {
          await Promise.resolve();
          reads.baselines += 1;
          return baselines.get(_id) ?? null;
        },
      }),
    } as unknown as Db;
    return { db, reads };
  }

  it('answers "not-yet" until the previous day is closed, even if its baseline is already being written', async () => {
    const days = new ClosedDaysStub();
    const repository = new BaselinesRepository(fakeDb(new Map([[baseline._id, baseline]])).db, days);
    expect((await repository.lookup(asOf, 's1')).status).toBe('not-yet');
    await days.markClosed(previousDay);
    expect(await repository.lookup(asOf, 's1')).toEqual({ status: 'found', baseline: expect.objectContaining({ activeFraction: 1, stats: expect.objectContaining({ mean: 10, count: 168 }) }) });
  });

  it('answers "none" for a series without a baseline once the day is closed, and "not-yet" before', async () => {
    const days = new ClosedDaysStub();
    const repository = new BaselinesRepository(fakeDb(new Map()).db, days);
    expect((await repository.lookup(asOf, 'new-series')).status).toBe('not-yet');
    await days.markClosed(previousDay);
    expect((await repository.lookup(asOf, 'new-series')).status).toBe('none');
  });

  it('a previous day that never had data is final once a later day closed (days close in order)', async () => {
    const days = new ClosedDaysStub();
    const repository = new BaselinesRepository(fakeDb(new Map()).db, days);
    await days.markClosed('2026-02-19');
    expect((await repository.lookup(asOf, 's1')).status).toBe('not-yet');
    await days.markClosed(asOf);
    expect((await repository.lookup(asOf, 's1')).status).toBe('none');
  });

  it('reads no baseline while the previous day is open', async () => {
    const days = new ClosedDaysStub();
    const { db, reads } = fakeDb(new Map([[baseline._id, baseline]]));
    const repository = new BaselinesRepository(db, days);
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => repository.lookup(asOf, `s${i + 1}`)));
    expect(results.every((r) => r.status === 'not-yet')).toBe(true);
    expect(reads.baselines).toBe(0);
  });

  it('caches what a closed day gave: a second lookup reads nothing', async () => {
    const days = new ClosedDaysStub();
    await days.markClosed(previousDay);
    const { db, reads } = fakeDb(new Map([[baseline._id, baseline]]));
    const repository = new BaselinesRepository(db, days);
    expect((await repository.lookup(asOf, 's1')).status).toBe('found');
    expect((await repository.lookup(asOf, 's2')).status).toBe('none');
    const before = { baselines: reads.baselines, days: days.reads };
    expect((await repository.lookup(asOf, 's1')).status).toBe('found');
    expect((await repository.lookup(asOf, 's2')).status).toBe('none');
    expect({ baselines: reads.baselines, days: days.reads }).toEqual(before);
  });
});
