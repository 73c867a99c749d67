import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import pLimit from 'p-limit';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { SeriesState, SeriesStateStore } from '../application/ports';

/** The detector's per-series state collection (`_id` = `<domain>|<project>|<service>|<currency>`). */
export const SERIES_STATE_COLLECTION = Collections.detectorSeriesState;

type SeriesStateDocument = SeriesState & { hasPending: boolean; updatedAt: string };

const LOOKUP_CONCURRENCY = 16;

@Injectable()
export class SeriesStateRepository implements SeriesStateStore {
  private readonly collection: Collection<SeriesStateDocument>;
  private readonly limit = pLimit(LOOKUP_CONCURRENCY);

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<SeriesStateDocument>(SERIES_STATE_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    // Serves loadPending(): at startup and after a rebalance, the series with hours waiting for a baseline.
    await this.collection.createIndex({ hasPending: 1 }, { name: 'has_pending' });
  }

  /** One `_id` lookup per series (an `$in` would be a full scan on FerretDB). */
  async load(ids: readonly string[]): Promise<Map<string, SeriesState>> {
    const found = await Promise.all(ids.map((_id) => this.limit(() => this.collection.findOne({ _id }))));
    return new Map(found.filter((doc): doc is SeriesStateDocument => doc !== null).map((doc) => [doc._id, toState(doc)]));
  }

  async loadPending(): Promise<SeriesState[]> {
    return (await this.collection.find({ hasPending: true }).toArray()).map(toState);
  }

  async save(states: readonly SeriesState[]): Promise<void> {
    if (states.length === 0) return;
    const updatedAt = new Date().toISOString();
    const operations: Array<AnyBulkWriteOperation<SeriesStateDocument>> = states.map(({ _id, ...fields }) => ({
      replaceOne: { filter: { _id }, replacement: { ...fields, hasPending: fields.pending.length > 0, updatedAt }, upsert: true },
    }));
    await this.collection.bulkWrite(operations, { ordered: false });
  }
}

function toState(doc: SeriesStateDocument): SeriesState {
  return { _id: doc._id, judged: doc.judged ?? {}, latestHourMs: doc.latestHourMs ?? null, pending: doc.pending ?? [], open: doc.open ?? null, rolling: doc.rolling ?? null, lastAnomalousHourMs: doc.lastAnomalousHourMs ?? null, ...(doc.ewma ? { ewma: doc.ewma } : {}) };
}
