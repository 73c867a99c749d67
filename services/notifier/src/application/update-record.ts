import { ConcurrentUpdateError } from './errors';
import type { SeriesStateStore } from './ports';
import type { SeriesRecord } from './series-record';

/**
 * Read-modify-write with compare-and-set, retried on conflict (there are no transactions).
 * `mutate` returns undefined to leave the record alone; so does a missing record.
 */
export async function updateRecord(
  store: SeriesStateStore,
  fingerprint: string,
  mutate: (current: SeriesRecord) => SeriesRecord | undefined,
  attempts = 8,
): Promise<SeriesRecord | undefined> {
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const current = await store.get(fingerprint);
    if (!current) return undefined;
    const next = mutate(current);
    if (!next) return current;
    try {
      return await store.save(next);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
  throw new ConcurrentUpdateError(fingerprint);
}
