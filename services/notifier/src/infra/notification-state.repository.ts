import type { Anomaly } from '@costwatch/contracts';
import { Collections } from '@costwatch/mongo';
import { MongoServerError, type Collection, type Db, type IndexDescription } from 'mongodb';
import { ConcurrentUpdateError } from '../application/errors';
import type { SeriesStateStore } from '../application/ports';
import { keysWithStatus, type Outbox, type SeriesRecord } from '../application/series-record';
import type { ChannelMemory } from '../domain/delivery-plan';
import type { LastNotice } from '../domain/dedup';
import type { AnomalyState, Notice } from '../domain/notice';

type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: Date };

/** One alert stream (series + rule) per document; `_id` is the fingerprint. */
export interface NotificationStateDocument {
  _id: string;
  /** Compare-and-set version: every write names the version it read (no transactions on FerretDB). */
  version: number;
  series: { domainId: string; projectId: string; serviceId: string; serviceName: string; rule: string };
  state?: AnomalyState;
  lastEventId?: string;
  lastEventAt?: Date;
  changes: Date[];
  flapping: boolean;
  lastNotice?: Dated<LastNotice, 'at'>;
  anomaly: Anomaly;
  notice?: Dated<Notice, 'createdAt'>;
  outbox?: Omit<Outbox, 'createdAt' | 'leaseUntil'> & { createdAt: Date; leaseUntil?: Date };
  channels: Record<string, Dated<ChannelMemory, 'at'>>;
  /** Derived: the periodic sweep must look at this stream (something firing, undelivered or flapping). */
  sweep: boolean;
  updatedAt: Date;
}

/**
 * Indexes, each with the query it serves. `_id` (the fingerprint) serves the per-event
 * lookup `findOne({ _id })` and the compare-and-set `replaceOne({ _id, version })`.
 */
export const notificationStateIndexes: IndexDescription[] = [
  // Sweep: find({ sweep: true }) — streams to re-send, release, retry or check for stability.
  { key: { sweep: 1 }, name: 'sweep' },
  // Operators: find({ 'series.domainId', 'series.projectId', 'series.serviceId' }) — a series' alert streams.
  { key: { 'series.domainId': 1, 'series.projectId': 1, 'series.serviceId': 1 }, name: 'series' },
];

type OutboxDocument = NonNullable<NotificationStateDocument['outbox']>;

function outboxDocument(outbox: Outbox): OutboxDocument {
  const { leaseUntil, createdAt, ...rest } = outbox;
  return { ...rest, createdAt: new Date(createdAt), ...(leaseUntil !== undefined ? { leaseUntil: new Date(leaseUntil) } : {}) };
}

function outboxRecord(outbox: OutboxDocument): Outbox {
  const { leaseUntil, createdAt, ...rest } = outbox;
  return { ...rest, createdAt: createdAt.getTime(), ...(leaseUntil ? { leaseUntil: leaseUntil.getTime() } : {}) };
}

function toDocument(record: SeriesRecord, version: number, now: Date): NotificationStateDocument {
  const { memory, notice, outbox } = record;
  const s = record.anomaly.series;
  return {
    _id: record.fingerprint,
    version,
    series: { domainId: s.domainId, projectId: s.projectId, serviceId: s.serviceId, serviceName: s.serviceName, rule: record.anomaly.rule },
    ...(memory.state ? { state: memory.state } : {}),
    ...(memory.lastEventId ? { lastEventId: memory.lastEventId } : {}),
    ...(memory.lastEventAt !== undefined ? { lastEventAt: new Date(memory.lastEventAt) } : {}),
    changes: memory.changes.map((at) => new Date(at)),
    flapping: memory.flapping,
    ...(memory.lastNotice ? { lastNotice: { ...memory.lastNotice, at: new Date(memory.lastNotice.at) } } : {}),
    anomaly: record.anomaly,
    ...(notice ? { notice: { ...notice, createdAt: new Date(notice.createdAt) } } : {}),
    ...(outbox ? { outbox: outboxDocument(outbox) } : {}),
    channels: Object.fromEntries(Object.entries(record.channels).map(([key, m]) => [key, { ...m, at: new Date(m.at) }])),
    sweep:
      memory.flapping ||
      keysWithStatus(outbox, 'pending').length + keysWithStatus(outbox, 'held').length > 0 ||
      Object.values(record.channels).some((m) => m.state === 'firing'),
    updatedAt: now,
  };
}

function fromDocument(doc: NotificationStateDocument): SeriesRecord {
  const { outbox, notice, lastNotice } = doc;
  return {
    fingerprint: doc._id,
    version: doc.version,
    memory: {
      ...(doc.state ? { state: doc.state } : {}),
      ...(doc.lastEventId ? { lastEventId: doc.lastEventId } : {}),
      ...(doc.lastEventAt ? { lastEventAt: doc.lastEventAt.getTime() } : {}),
      changes: doc.changes.map((at) => at.getTime()),
      flapping: doc.flapping,
      ...(lastNotice ? { lastNotice: { ...lastNotice, at: lastNotice.at.getTime() } } : {}),
    },
    anomaly: doc.anomaly,
    ...(notice ? { notice: { ...notice, createdAt: notice.createdAt.getTime() } } : {}),
    ...(outbox ? { outbox: outboxRecord(outbox) } : {}),
    channels: Object.fromEntries(Object.entries(doc.channels).map(([key, m]) => [key, { ...m, at: m.at.getTime() }])),
  };
}

const DUPLICATE_KEY = 11000;

/** `notification_state`: the suppression and delivery state of every alert stream. */
export class NotificationStateRepository implements SeriesStateStore {
  private readonly collection: Collection<NotificationStateDocument>;

  constructor(db: Db) {
    this.collection = db.collection<NotificationStateDocument>(Collections.notifications);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndexes(notificationStateIndexes);
  }

  async get(fingerprint: string): Promise<SeriesRecord | undefined> {
    const doc = await this.collection.findOne({ _id: fingerprint });
    return doc ? fromDocument(doc) : undefined;
  }

  async save(record: SeriesRecord): Promise<SeriesRecord> {
    const next = record.version + 1;
    const doc = toDocument(record, next, new Date());
    if (record.version === 0) {
      try {
        await this.collection.insertOne(doc);
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw new ConcurrentUpdateError(record.fingerprint);
        throw error;
      }
    } else {
      const result = await this.collection.replaceOne({ _id: record.fingerprint, version: record.version }, doc);
      if (result.matchedCount === 0) throw new ConcurrentUpdateError(record.fingerprint);
    }
    return { ...record, version: next };
  }

  async *findForSweep(): AsyncIterable<SeriesRecord> {
    for await (const doc of this.collection.find({ sweep: true })) yield fromDocument(doc);
  }
}
