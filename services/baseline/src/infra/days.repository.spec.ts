import type { Db } from 'mongodb';
import { DaysRepository } from './days.repository';

/** billing_days in memory, counting the reads a batch would make. */
function fakeDb(days: Map<string, boolean>) {
  const reads = { find: 0, findOne: 0 };
  const collection = {
    find: () => ({
      toArray: () => {
        reads.find += 1;
        return Promise.resolve([...days].filter(([, closed]) => !closed).map(([_id]) => ({ _id })));
      },
    }),
    findOne: ({ _id }: { _id: string }) => {
      reads.findOne += 1;
      return Promise.resolve(days.has(_id) ? { _id, closed: days.get(_id) } : null);
    },
    bulkWrite: (ops: Array<{ updateOne: { filter: { _id: string } } }>) => {
      for (const op of ops) if (!days.has(op.updateOne.filter._id)) days.set(op.updateOne.filter._id, false);
      return Promise.resolve();
    },
    updateOne: ({ _id }: { _id: string }) => {
      days.set(_id, true);
      return Promise.resolve();
    },
  };
  return { db: { collection: () => collection } as unknown as Db, reads };
}

describe('DaysRepository open-day reads', () => {
  it('answers batches from one recent read, and reads again once it is older than allowed', async () => {
    const days = new Map([['2026-06-01', false]]);
    const { db, reads } = fakeDb(days);
    const repository = new DaysRepository(db, 'billing_days');
    expect(await repository.openDays(60_000)).toEqual(['2026-06-01']);
    expect(await repository.openDays(60_000)).toEqual(['2026-06-01']);
    expect(await repository.isClosed('2026-06-01', 60_000)).toBe(false);
    expect(reads).toEqual({ find: 1, findOne: 0 });
    await repository.openDays(0);
    expect(reads.find).toBe(2);
  });

  it("sees this instance's new days and closes at once", async () => {
    const days = new Map([['2026-06-01', false]]);
    const { db } = fakeDb(days);
    const repository = new DaysRepository(db, 'billing_days');
    await repository.openDays(60_000);
    await repository.touch(['2026-06-02']);
    expect(await repository.openDays(60_000)).toEqual(['2026-06-01', '2026-06-02']);
    await repository.markClosed('2026-06-01', new Date());
    expect(await repository.openDays(60_000)).toEqual(['2026-06-02']);
    expect(await repository.isClosed('2026-06-01', 60_000)).toBe(true);
  });

  it('reads a day that is not in the recent list rather than assuming it is open', async () => {
    const days = new Map([['2026-06-01', false]]);
    const { db, reads } = fakeDb(days);
    const repository = new DaysRepository(db, 'billing_days');
    await repository.openDays(60_000);
    days.set('2026-05-31', true); // closed by another instance
    expect(await repository.isClosed('2026-05-31', 60_000)).toBe(true);
    expect(reads.findOne).toBe(1);
  });

  it('answers from the last list at once when it is stale, and reads the new one in the background', async () => {
    const days = new Map([['2026-06-01', false]]);
    const { db, reads } = fakeDb(days);
    const repository = new DaysRepository(db, 'billing_days');
    expect(await repository.openDays(1)).toEqual(['2026-06-01']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    days.set('2026-06-01', true); // closed by another instance
    expect(await repository.openDays(1)).toEqual(['2026-06-01']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads.find).toBe(2);
    expect(await repository.openDays(60_000)).toEqual([]);
  });

  it('keeps a day it closed closed, even when a read from before the close comes back later', async () => {
    const days = new Map([['2026-06-01', false], ['2026-06-02', false]]);
    const { db } = fakeDb(days);
    const repository = new DaysRepository(db, 'billing_days');
    await repository.openDays(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The background read starts (and sees both days open) before this instance closes one.
    const stale = repository.openDays(1);
    await repository.markClosed('2026-06-01', new Date());
    await stale;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await repository.openDays(60_000)).toEqual(['2026-06-02']);
  });
});
