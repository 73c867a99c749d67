import type { Db } from 'mongodb';
import { BaselinesRepository } from './baselines.repository';

/**
 * The previous day's status decides how a missing baseline reads: the aggregator writes a
 * day's baselines first and marks the day closed last, so "closed" makes a miss final and
 * "open" means the baseline may still come.
 */
describe('BaselinesRepository.lookup', () => {
  const asOf = '2026-02-22';
  const previousDay = '2026-02-21';
  const baseline = { _id: `${asOf}|s1`, asOf, windowFrom: '2026-01-23', count: 168, mean: 10, std: 1, median: 10, mad: 0.5, meanAbsDev: 0.7 };

  function fakeDb(state: { baselines: Map<string, object>; days: Map<string, { _id: string; closed: boolean }> }) {
    const reads = { baselines: 0, days: 0 };
    const db = {
      collection: (name: string) => ({
        findOne: async ({ _id }: { _id: string }) => {
          await Promise.resolve();
          if (name === 'billing_days') {
            reads.days += 1;
            return state.days.get(_id) ?? null;
          }
          reads.baselines += 1;
          return state.baselines.get(_id) ?? null;
        },
      }),
    } as unknown as Db;
    return { db, reads };
  }

  it('answers "not-yet" while the previous day is open, even if its baseline is already being written', async () => {
    const state = { baselines: new Map<string, object>([[baseline._id, baseline]]), days: new Map([[previousDay, { _id: previousDay, closed: false }]]) };
    const repository = new BaselinesRepository(fakeDb(state).db);
    expect((await repository.lookup(asOf, 's1')).status).toBe('not-yet');
    state.days.set(previousDay, { _id: previousDay, closed: true });
    expect(await repository.lookup(asOf, 's1')).toEqual({ status: 'found', baseline: expect.objectContaining({ activeFraction: 1, stats: expect.objectContaining({ mean: 10, count: 168 }) }) });
  });

  it('answers "none" for a series without a baseline once the day is closed, and "not-yet" before', async () => {
    const state = { baselines: new Map<string, object>(), days: new Map([[previousDay, { _id: previousDay, closed: false }]]) };
    const repository = new BaselinesRepository(fakeDb(state).db);
    expect((await repository.lookup(asOf, 'new-series')).status).toBe('not-yet');
    state.days.set(previousDay, { _id: previousDay, closed: true });
    expect((await repository.lookup(asOf, 'new-series')).status).toBe('none');
  });

  it('reads the open day once for many waiting series and reads no baseline while it is open', async () => {
    const state = { baselines: new Map<string, object>([[baseline._id, baseline]]), days: new Map([[previousDay, { _id: previousDay, closed: false }]]) };
    const { db, reads } = fakeDb(state);
    const repository = new BaselinesRepository(db);
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => repository.lookup(asOf, i === 0 ? 's1' : `s${i + 1}`)));
    expect(results.every((r) => r.status === 'not-yet')).toBe(true);
    expect(reads).toEqual({ baselines: 0, days: 1 });
  });

  it('caches what a closed day gave: a second lookup reads nothing', async () => {
    const state = { baselines: new Map<string, object>([[baseline._id, baseline]]), days: new Map([[previousDay, { _id: previousDay, closed: true }]]) };
    const { db, reads } = fakeDb(state);
    const repository = new BaselinesRepository(db);
    expect((await repository.lookup(asOf, 's1')).status).toBe('found');
    expect((await repository.lookup(asOf, 's2')).status).toBe('none');
    const before = { ...reads };
    expect((await repository.lookup(asOf, 's1')).status).toBe('found');
    expect((await repository.lookup(asOf, 's2')).status).toBe('none');
    expect(reads).toEqual(before);
  });

  it('does not cache a miss when the previous day had no data (it may still get some)', async () => {
    const state = { baselines: new Map<string, object>(), days: new Map<string, { _id: string; closed: boolean }>() };
    const repository = new BaselinesRepository(fakeDb(state).db);
    expect((await repository.lookup(asOf, 's1')).status).toBe('none');
    state.days.set(previousDay, { _id: previousDay, closed: false });
    expect((await repository.lookup(asOf, 's1')).status).toBe('not-yet');
  });
});
