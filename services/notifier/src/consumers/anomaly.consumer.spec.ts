import { handleByStream } from './anomaly.consumer';

/** A promise the test resolves by hand, so "side by side" is shown by order, not by timing. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('handleByStream', () => {
  it("keeps each stream's events in order while another stream goes ahead", async () => {
    const held = gate();
    const log: string[] = [];
    const items = [
      { stream: 'a', id: 'a1' },
      { stream: 'b', id: 'b1' },
      { stream: 'a', id: 'a2' },
      { stream: 'b', id: 'b2' },
    ];
    const done = handleByStream(
      items,
      (item) => item.stream,
      async (item) => {
        log.push(`start ${item.id}`);
        if (item.id === 'a1') await held.wait;
        log.push(`end ${item.id}`);
      },
      16,
    );
    // Stream b finishes while a1 is still being delivered; a2 has not started.
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start a1', 'start b1', 'end b1', 'start b2', 'end b2']);
    held.open();
    await done;
    expect(log.slice(5)).toEqual(['end a1', 'start a2', 'end a2']);
  });

  it('finishes the other streams, stops the failed one, then rethrows its error', async () => {
    const handled: string[] = [];
    const items = ['a1', 'b1', 'a2', 'b2'].map((id) => ({ stream: id[0]!, id }));
    await expect(
      handleByStream(
        items,
        (item) => item.stream,
        (item) => {
          if (item.id === 'a1') return Promise.reject(new Error('alertmanager down'));
          handled.push(item.id);
          return Promise.resolve();
        },
        16,
      ),
    ).rejects.toThrow('alertmanager down');
    expect(handled).toEqual(['b1', 'b2']);
  });

  it('runs at most `concurrency` streams at once', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 10 }, (_, i) => ({ stream: `s${i}` }));
    await handleByStream(
      items,
      (item) => item.stream,
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
      },
      3,
    );
    expect(most).toBe(3);
  });
});
