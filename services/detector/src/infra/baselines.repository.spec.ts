import type { Db } from 'mongodb';
import { BaselinesRepository } from './baselines.repository';

/**
 * The day closes while a lookup is in flight: the baseline is written, then the day is
 * marked closed. A lookup whose baseline read missed must not conclude "none" just because
 * another lookup has meanwhile learned that the day is closed.
 */
describe('BaselinesRepository.lookup while the previous day closes', () => {
  const asOf = '2026-02-22';
  const baseline = { _id: `${asOf}|s1`, asOf, windowFrom: '2026-01-23', count: 168, mean: 10, std: 1, median: 10, mad: 0.5, meanAbsDev: 0.7 };

  function fakeDb(state: { baselines: Map<string, object>; days: Map<string, { _id: string; closed: boolean }> }, onBaselineRead: () => Promise<void> | void) {
    return {
      collection: (name: string) => ({
        findOne: async ({ _id }: { _id: string }) => {
          if (name === 'billing_days') return state.days.get(_id) ?? null;
          // What the read saw, answered only after whatever happens meanwhile.
          const found = state.baselines.get(_id) ?? null;
          await onBaselineRead();
          return found;
        },
      }),
    } as unknown as Db;
  }

  it('reads the baseline again when the day turned out closed during its first read', async () => {
    const state = { baselines: new Map<string, object>(), days: new Map([['2026-02-21', { _id: '2026-02-21', closed: false }]]) };
    let reads = 0;
    const repository: BaselinesRepository = new BaselinesRepository(
      fakeDb(state, async () => {
        reads += 1;
        if (reads === 1) {
          // During s1's first (missing) read the day closes, and another series' lookup learns it.
          state.baselines.set(baseline._id, baseline);
          state.days.set('2026-02-21', { _id: '2026-02-21', closed: true });
          await repository.lookup(asOf, 'other');
        }
      }),
    );
    const result = await repository.lookup(asOf, 's1');
    expect(result.status).toBe('found');
  });

  it('answers "none" for a series without a baseline once the day is closed, and "not-yet" before', async () => {
    const state = { baselines: new Map<string, object>(), days: new Map([['2026-02-21', { _id: '2026-02-21', closed: false }]]) };
    const repository = new BaselinesRepository(fakeDb(state, () => undefined));
    expect((await repository.lookup(asOf, 'new-series')).status).toBe('not-yet');
    state.days.set('2026-02-21', { _id: '2026-02-21', closed: true });
    expect((await repository.lookup(asOf, 'new-series')).status).toBe('none');
  });
});
