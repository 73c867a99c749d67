import type { Logger } from 'pino';
import type { ChannelMemory } from '../domain/delivery-plan';
import { noticeState, type Notice } from '../domain/notice';
import { DeliveryFailedError } from './errors';
import type { Channels, Clock, NotificationLog, SeriesStateStore } from './ports';
import { keysWithStatus, leasedByOther, type SeriesRecord } from './series-record';
import { updateRecord } from './update-record';

export interface DeliverySettings {
  /** This notifier instance (host, pid, random): the holder of delivery leases. */
  owner: string;
  /** How long a delivery lease lasts: longer than one delivery with all its retries. */
  leaseMs: number;
}

export type DeliveryResult = 'nothing' | 'busy' | 'delivered';

/** Runs async tasks one after another (marks on one record must not race each other). */
function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Delivers the pending destinations of an alert stream's outbox, in parallel, recording
 * each success in MongoDB as soon as it happens. A redelivered message or the sweep
 * therefore only sends to destinations that have not got the notice yet.
 */
export class OutboxDeliverer {
  constructor(
    private readonly store: SeriesStateStore,
    private readonly log: NotificationLog,
    private readonly channels: Channels,
    private readonly clock: Clock,
    private readonly settings: DeliverySettings,
  ) {}

  get owner(): string {
    return this.settings.owner;
  }

  get leaseMs(): number {
    return this.settings.leaseMs;
  }

  /**
   * Claims the outbox (unless this instance holds its lease already) and delivers it.
   * `busy`: another live instance holds the lease. Throws DeliveryFailedError naming the
   * destinations that gave up; those stay pending. The lease is released either way, so
   * the Kafka redelivery or the sweep, whichever comes first, can take over at once.
   */
  async deliverPending(record: SeriesRecord, logger: Logger): Promise<DeliveryResult> {
    const { outbox, notice } = record;
    if (!outbox || !notice || outbox.noticeId !== notice.noticeId) return 'nothing';
    const pending = keysWithStatus(outbox, 'pending');
    if (pending.length === 0) return 'nothing';

    const now = this.clock();
    let claimed = record;
    const ownLease = outbox.leaseOwner === this.owner && (outbox.leaseUntil ?? 0) > now;
    if (!ownLease) {
      if (leasedByOther(outbox, this.owner, now)) return 'busy';
      claimed = await this.store.save({ ...record, outbox: { ...outbox, leaseOwner: this.owner, leaseUntil: now + this.leaseMs } });
    }

    const serial = serialQueue();
    const failures: Array<{ key: string; reason: string }> = [];
    await Promise.all(
      pending.map(async (key) => {
        const channel = this.channels.get(key);
        if (!channel) {
          logger.warn({ channelKey: key }, 'destination no longer configured; dropping its delivery');
          await serial(() => this.mark(notice, key, undefined));
          return;
        }
        try {
          await channel.deliver(notice, { previous: claimed.channels[key], now: this.clock() });
        } catch (error) {
          failures.push({ key, reason: `${channel.target.kind}: ${error instanceof Error ? error.message : String(error)}` });
          return;
        }
        const at = this.clock();
        await serial(() => this.mark(notice, key, { noticeId: notice.noticeId, state: noticeState(notice.kind), severity: notice.severity, at }));
        await this.log.noticeDelivered({ notice, key, channel: channel.target.kind, at });
      }),
    );
    await this.releaseLease(record.fingerprint, notice.noticeId);

    if (failures.length > 0) {
      const error = new DeliveryFailedError(
        failures.map((f) => f.key),
        failures.map((f) => f.reason),
      );
      logger.warn({ noticeId: notice.noticeId, failed: error.failedKeys, reasons: error.reasons }, 'notice not delivered everywhere; will retry');
      throw error;
    }
    logger.info({ noticeId: notice.noticeId, kind: notice.kind, destinations: pending }, 'notice delivered');
    return 'delivered';
  }

  /** Records that `key` got `notice` (or, with no memory, that the destination is gone). */
  private async mark(notice: Notice, key: string, memory: ChannelMemory | undefined): Promise<void> {
    await updateRecord(this.store, notice.fingerprint, (current) => {
      const channels = memory ? { ...current.channels, [key]: memory } : current.channels;
      let outbox = current.outbox;
      if (outbox?.noticeId === notice.noticeId) {
        const { [key]: _previous, ...rest } = outbox.status;
        outbox = { ...outbox, status: memory ? { ...rest, [key]: 'delivered' } : rest };
      }
      return { ...current, channels, ...(outbox ? { outbox } : {}) };
    });
  }

  private async releaseLease(fingerprint: string, noticeId: string): Promise<void> {
    await updateRecord(this.store, fingerprint, (current) => {
      const outbox = current.outbox;
      if (outbox?.noticeId !== noticeId || outbox.leaseOwner !== this.owner) return undefined;
      const { leaseOwner: _owner, leaseUntil: _until, ...released } = outbox;
      return { ...current, outbox: released };
    });
  }
}
