import { Inject, Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { Anomaly } from '@costwatch/contracts';
import { Collections, MONGO_DB } from '@costwatch/mongo';
import type { AnomalyRecord, AnomalyStore } from '../application/ports';

/** billing_anomalies: one document per anomaly, `_id` = anomalyId, as last published (or quietly extended). */
export type AnomalyDocument = Omit<Anomaly, 'anomalyId'> & {
  _id: string;
  version: number;
  seriesId: string;
  ruleName: string;
  peakHour: string;
  windowStart: string;
  updatedAt: string;
};

@Injectable()
export class AnomaliesRepository implements AnomalyStore {
  readonly collection: Collection<AnomalyDocument>;

  constructor(@Inject(MONGO_DB) db: Db) {
    this.collection = db.collection<AnomalyDocument>(Collections.anomalies);
  }

  async ensureIndexes(): Promise<void> {
    // Serves dashboards and reports: the anomalies of one series over time.
    await this.collection.createIndex({ seriesId: 1, windowStart: 1 }, { name: 'series_window' });
    // Serves "what is firing now" (state = firing).
    await this.collection.createIndex({ state: 1 }, { name: 'state' });
  }

  async save(records: readonly AnomalyRecord[]): Promise<void> {
    if (records.length === 0) return;
    const updatedAt = new Date().toISOString();
    const operations: Array<AnyBulkWriteOperation<AnomalyDocument>> = records.map(({ anomaly: { anomalyId, ...anomaly }, version, seriesId, ruleName, peakHour }) => ({
      replaceOne: { filter: { _id: anomalyId }, replacement: { ...anomaly, version, seriesId, ruleName, peakHour, windowStart: anomaly.window.start, updatedAt }, upsert: true },
    }));
    await this.collection.bulkWrite(operations, { ordered: true });
  }
}
