import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { BaselineDocument } from '@costwatch/contracts';

export type { BaselineDocument };

@Injectable()
export class BaselinesRepository {
  readonly collection: Collection<BaselineDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<BaselineDocument>(Collections.baselines);
  }

  async ensureIndexes(): Promise<void> {
    // Serves the detector's lookup: the baseline of one series as of one date.
    await this.collection.createIndex({ domainId: 1, projectId: 1, serviceId: 1, currency: 1, asOf: 1 }, { name: 'series_asof' });
  }

  async write(documents: readonly BaselineDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const operations: Array<AnyBulkWriteOperation<BaselineDocument>> = documents.map(({ _id, ...fields }) => ({
      replaceOne: { filter: { _id }, replacement: fields, upsert: true },
    }));
    await this.collection.bulkWrite(operations, { ordered: false });
  }
}
