import type { DailyDocument } from '../infra/rollups.repository';

interface Round {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
  dropped: boolean;
}

function newRound(): Round {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A round nobody waits for (every batch already committed elsewhere) must not be an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject, dropped: false };
}

export interface WriteBehindOptions {
  /** How long a changed day document may stay in memory only. */
  intervalMs: number;
  /** Changed documents that force a write before the interval is up. */
  maxDirty: number;
}

/**
 * Day documents written behind: a batch's documents are kept in memory and written with
 * everything else changed within `intervalMs`, once per document however often it changed.
 * Each batch gets the promise of the write that will hold its documents; the consumer
 * commits the batch's offsets only when it resolves (see DeferredCommit), so a crash before
 * the write redelivers the batch, which recomputes the same documents and snapshots.
 * A failed write is retried until it succeeds or the documents are dropped.
 */
export class DayWriteBehind {
  private dirty = new Map<string, DailyDocument>();
  private round = newRound();
  /** Documents being written, readable until the write is done. */
  private readonly inflight = new Map<string, DailyDocument>();
  private readonly inflightRounds = new Set<Round>();
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (documents: DailyDocument[]) => Promise<void>,
    private readonly options: WriteBehindOptions,
    private readonly onWriteError: (error: unknown, attempt: number) => void,
  ) {}

  /** Whether this very object is being written now (its contents must not change until the write is done). */
  isWriting(doc: DailyDocument): boolean {
    return this.inflight.get(doc._id) === doc;
  }

  /** The newest unwritten version of a document, if any. */
  get(id: string): DailyDocument | undefined {
    return this.dirty.get(id) ?? this.inflight.get(id);
  }

  /** Queues the documents; the promise resolves once they are written. */
  add(documents: readonly DailyDocument[]): Promise<void> {
    for (const doc of documents) this.dirty.set(doc._id, doc);
    // Nothing waits to be written (a batch that changed nothing): durable once earlier writes are.
    if (this.dirty.size === 0) return this.writing;
    const durable = this.round.promise;
    if (this.dirty.size >= this.options.maxDirty) void this.flush();
    else this.schedule();
    return durable;
  }

  /** Writes everything queued so far; resolves when it (and every earlier write) is done. */
  flush(): Promise<void> {
    this.clearTimer();
    if (this.dirty.size === 0) return this.writing;
    const documents = [...this.dirty.values()];
    const round = this.round;
    this.dirty = new Map();
    this.round = newRound();
    for (const doc of documents) this.inflight.set(doc._id, doc);
    this.inflightRounds.add(round);
    this.writing = this.writing.then(async () => {
      try {
        for (let attempt = 1; !round.dropped; attempt += 1) {
          try {
            await this.write(documents);
            round.resolve();
            return;
          } catch (error) {
            this.onWriteError(error, attempt);
            await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
          }
        }
      } finally {
        this.inflightRounds.delete(round);
        for (const doc of documents) if (this.inflight.get(doc._id) === doc) this.inflight.delete(doc._id);
      }
    });
    return this.writing;
  }

  /**
   * Forgets what is not written yet (partition ownership changed): the batches that made it
   * are not committed, so their records are redelivered to whoever owns them now.
   */
  drop(): void {
    this.clearTimer();
    for (const round of [this.round, ...this.inflightRounds]) {
      round.dropped = true;
      round.reject(new Error('day documents dropped before they were written (partitions reassigned)'));
    }
    this.dirty = new Map();
    this.round = newRound();
  }

  private schedule(): void {
    if (this.timer || this.dirty.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
