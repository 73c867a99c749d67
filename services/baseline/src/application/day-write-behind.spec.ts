import type { DailyDocument } from '../infra/rollups.repository';
import { DayWriteBehind } from './day-write-behind';

const doc = (id: string, amount: string) => ({ _id: id, amount }) as unknown as DailyDocument;

function writeBehind(options = { intervalMs: 60_000, maxDirty: 100 }) {
  const writes: string[][] = [];
  let failures = 0;
  const store = new DayWriteBehind(
    (docs) => {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new Error('database down'));
      }
      writes.push(docs.map((d) => `${d._id}=${d.amount}`));
      return Promise.resolve();
    },
    options,
    () => undefined,
  );
  return { store, writes, failWrites: (n: number) => (failures = n) };
}

describe('DayWriteBehind', () => {
  it('writes each changed document once per flush, its newest version, and then reports the batches durable', async () => {
    const { store, writes } = writeBehind();
    const first = store.add([doc('a', '1'), doc('b', '1')]);
    const second = store.add([doc('a', '2')]);
    expect(store.get('a')?.amount).toBe('2');
    let durable = false;
    void Promise.all([first, second]).then(() => (durable = true));
    await Promise.resolve();
    expect(durable).toBe(false);
    await store.flush();
    expect(writes).toEqual([['a=2', 'b=1']]);
    await Promise.resolve();
    expect(durable).toBe(true);
    expect(store.get('a')).toBeUndefined();
  });

  it('a batch that changed nothing is durable at once, with nothing waiting', async () => {
    const { store, writes } = writeBehind();
    await store.add([]);
    expect(writes).toEqual([]);
  });

  it('writes early when too many documents wait', async () => {
    const { store, writes } = writeBehind({ intervalMs: 60_000, maxDirty: 2 });
    const durable = store.add([doc('a', '1'), doc('b', '1')]);
    await durable;
    expect(writes).toEqual([['a=1', 'b=1']]);
  });

  it('retries a failed write until it succeeds', async () => {
    const { store, writes, failWrites } = writeBehind();
    failWrites(2);
    const durable = store.add([doc('a', '1')]);
    await store.flush();
    await durable;
    expect(writes).toEqual([['a=1']]);
  });

  it('dropped documents are never written and their batches never durable', async () => {
    const { store, writes } = writeBehind();
    const durable = store.add([doc('a', '1')]);
    store.drop();
    await expect(durable).rejects.toThrow(/dropped/);
    await store.flush();
    expect(writes).toEqual([]);
    expect(store.get('a')).toBeUndefined();
  });
});
