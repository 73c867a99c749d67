import { DayClock } from './day-clock';

const midnight = (day: string) => Date.parse(`${day}T00:00:00Z`);
const open = ['2026-02-01', '2026-02-02'];

describe('DayClock', () => {
  it('waits for an owned partition that has unread records but has not been fetched yet', async () => {
    const clock = new DayClock();
    const asked: number[][] = [];
    let behind = [2];
    clock.rejoined([0, 1, 2], (partitions) => {
      asked.push([...partitions]);
      return Promise.resolve(behind.filter((p) => partitions.includes(p)));
    });
    clock.observe(0, midnight('2026-02-20'), 'r1');
    clock.observe(1, midnight('2026-02-20'), 'r2');
    expect(await clock.closable(open, 0)).toEqual([]);
    expect(asked).toEqual([[2]]);

    clock.observe(2, midnight('2026-02-02'), 'r3');
    behind = [];
    expect(await clock.closable(open, 0)).toEqual(['2026-02-01']);
    expect(asked).toEqual([[2]]);
  });

  it('does not wait for an owned partition with nothing to read', async () => {
    const clock = new DayClock();
    clock.rejoined([0, 1], () => Promise.resolve([]));
    clock.observe(0, midnight('2026-02-03'), 'r4');
    expect(await clock.closable(open, 0)).toEqual(open);
  });

  it('keeps days open when the backlog cannot be read', async () => {
    const clock = new DayClock();
    clock.rejoined([0, 1], () => Promise.reject(new Error('broker unreachable')));
    clock.observe(0, midnight('2026-02-03'), 'r5');
    expect(await clock.closable(open, 0)).toEqual([]);
  });

  it('does not observe a record far ahead of the wall clock: its partition still counts as unread', async () => {
    const clock = new DayClock(() => midnight('2026-02-20'));
    clock.rejoined([0, 1], (partitions) => Promise.resolve(partitions.filter((p) => p === 1)));
    clock.observe(0, midnight('2026-02-03'), 'a');
    clock.observe(1, Date.parse('9999-01-01T00:00:00Z'), 'y9999');
    expect(await clock.closable(open, 0)).toEqual([]);
  });

  it('starts over on a new assignment', async () => {
    const clock = new DayClock();
    clock.rejoined([0], () => Promise.resolve([]));
    clock.observe(0, midnight('2026-02-03'), 'r6');
    clock.rejoined([0, 1], () => Promise.resolve([0]));
    expect(await clock.closable(open, 0)).toEqual([]);
  });
});
