import type { DailyTotal } from '@costwatch/contracts';
import type { Collection, Db, IndexDescription } from 'mongodb';
import { Collections } from '@costwatch/mongo';
import type { DeliveryLease, NotificationLog, PendingDailyTotal } from '../application/ports';
import type { OutboxStatus } from '../application/series-record';
import { noticeState, type Notice, type SuppressionReason } from '../domain/notice';

export type NotificationLogType = 'notice' | 'suppressed' | 'delivered' | 'superseded' | 'daily_total';

/**
 * The audit trail: what was decided, suppressed (and why), delivered where, and superseded.
 * Every entry has a deterministic `_id` and is written with `$setOnInsert`, so a replay adds
 * nothing. Entries are never expired automatically (FerretDB has no TTL indexes).
 */
export interface NotificationLogDocument {
  _id: string;
  type: NotificationLogType;
  at: Date;
  fingerprint?: string;
  noticeId?: string;
  eventId?: string;
  kind?: Notice['kind'];
  state?: string;
  severity?: string;
  anomalyId?: string;
  plan?: Record<string, OutboxStatus>;
  reason?: SuppressionReason | string;
  detail?: string;
  channelKey?: string;
  channel?: string;
  keys?: string[];
  supersededBy?: string;
  status?: 'pending' | 'delivered';
  dailyTotal?: DailyTotal;
  deliveredAt?: Date;
  /** Daily totals: who is writing the line, and until when (epoch ms; 0 once given back). */
  leaseOwner?: string;
  leaseUntil?: number;
}

export const notificationLogIndexes: IndexDescription[] = [
  // Operators: find({ fingerprint }).sort({ at: -1 }) — "why was (or wasn't) I paged about this series?"
  { key: { fingerprint: 1, at: -1 }, name: 'fingerprint_at' },
  // Operators: find({ type, at: { $gte } }) — recent suppressions / deliveries of one kind.
  { key: { type: 1, at: -1 }, name: 'type_at' },
  // The sweep: find({ type: 'daily_total', status: 'pending', …lease expired }) — lines syslog has not taken yet.
  { key: { type: 1, status: 1 }, name: 'type_status' },
];

/** At most this many pending daily-total lines are read per sweep. */
const PENDING_DAILY_TOTALS_PER_SWEEP = 1_000;

const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === 11000;

/** `notification_log`: append-only, idempotent audit entries. */
export class NotificationLogRepository implements NotificationLog {
  private readonly collection: Collection<NotificationLogDocument>;

  constructor(db: Db) {
    this.collection = db.collection<NotificationLogDocument>(Collections.notificationLog);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndexes(notificationLogIndexes);
  }

  private async insertOnce(doc: NotificationLogDocument): Promise<void> {
    const { _id, ...fields } = doc;
    await this.collection.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
  }

  async noticeDecided(notice: Notice, plan: Readonly<Record<string, OutboxStatus>>, eventId: string | undefined): Promise<void> {
    await this.insertOnce({
      _id: `notice:${notice.noticeId}`,
      type: 'notice',
      at: new Date(notice.createdAt),
      fingerprint: notice.fingerprint,
      noticeId: notice.noticeId,
      ...(eventId ? { eventId } : {}),
      kind: notice.kind,
      state: noticeState(notice.kind),
      severity: notice.severity,
      anomalyId: notice.anomaly.anomalyId,
      plan: { ...plan },
    });
  }

  async noticeSuppressed(entry: { fingerprint: string; eventId: string; reason: SuppressionReason; detail: string; at: number }): Promise<void> {
    await this.insertOnce({
      _id: `suppressed:${entry.fingerprint}:${entry.eventId}`,
      type: 'suppressed',
      at: new Date(entry.at),
      fingerprint: entry.fingerprint,
      eventId: entry.eventId,
      reason: entry.reason,
      detail: entry.detail,
    });
  }

  async noticeDelivered(entry: { notice: Notice; key: string; channel: string; at: number }): Promise<void> {
    await this.insertOnce({
      _id: `delivered:${entry.notice.noticeId}:${entry.key}`,
      type: 'delivered',
      at: new Date(entry.at),
      fingerprint: entry.notice.fingerprint,
      noticeId: entry.notice.noticeId,
      kind: entry.notice.kind,
      channelKey: entry.key,
      channel: entry.channel,
    });
  }

  async noticeSuperseded(entry: { notice: Notice; keys: readonly string[]; by: string; at: number }): Promise<void> {
    await this.insertOnce({
      _id: `superseded:${entry.notice.noticeId}`,
      type: 'superseded',
      at: new Date(entry.at),
      fingerprint: entry.notice.fingerprint,
      noticeId: entry.notice.noticeId,
      keys: [...entry.keys],
      supersededBy: entry.by,
    });
  }

  async claimDailyTotal(id: string, total: DailyTotal, eventId: string, lease: DeliveryLease): Promise<'claimed' | 'busy' | 'delivered'> {
    try {
      const inserted = await this.collection.updateOne(
        { _id: id },
        { $setOnInsert: { type: 'daily_total', at: new Date(lease.now), status: 'pending', eventId, dailyTotal: total, leaseOwner: lease.owner, leaseUntil: lease.until } },
        { upsert: true },
      );
      if (inserted.upsertedCount === 1) return 'claimed';
    } catch (error) {
      // Two writers inserting at once: the other one won; compete for the lease below.
      if (!isDuplicateKey(error)) throw error;
    }
    // Compare-and-set: only a pending line whose lease has expired (or is ours) is taken.
    const taken = await this.collection.updateOne(
      { _id: id, status: 'pending', $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lte: lease.now } }, { leaseOwner: lease.owner }] },
      { $set: { leaseOwner: lease.owner, leaseUntil: lease.until } },
    );
    if (taken.matchedCount === 1) return 'claimed';
    const existing = await this.collection.findOne({ _id: id }, { projection: { status: 1 } });
    return existing?.status === 'delivered' ? 'delivered' : 'busy';
  }

  async dailyTotalDelivered(id: string, at: number): Promise<void> {
    await this.collection.updateOne({ _id: id }, { $set: { status: 'delivered', deliveredAt: new Date(at), leaseUntil: 0 } });
  }

  async releaseDailyTotal(id: string, owner: string): Promise<void> {
    await this.collection.updateOne({ _id: id, status: 'pending', leaseOwner: owner }, { $set: { leaseUntil: 0 } });
  }

  async *pendingDailyTotals(now: number): AsyncIterable<PendingDailyTotal> {
    const cursor = this.collection
      .find(
        { type: 'daily_total', status: 'pending', $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lte: now } }] },
        { projection: { dailyTotal: 1, eventId: 1 } },
      )
      .sort({ at: 1 })
      .limit(PENDING_DAILY_TOTALS_PER_SWEEP);
    for await (const doc of cursor) {
      if (doc.dailyTotal) yield { id: doc._id, total: doc.dailyTotal, eventId: doc.eventId ?? '' };
    }
  }
}
