import type { RecordPolicy } from '@costwatch/contracts';
import type { BaselineRole } from '../config/baseline.config';

export const CONSUMER_SETTINGS = Symbol('CONSUMER_SETTINGS');

export interface ConsumerSettings {
  aggregatorGroup: string;
  archiverGroup: string;
  batchSize: number;
  maxAttempts: number;
  fetchMaxBytesPerPartition: number;
  partitionsConcurrently: number;
  /** The consumer groups this process runs. */
  roles: readonly BaselineRole[];
  /** What a record must satisfy to be archived and aggregated (RECORD_* settings); others are dead-lettered. */
  recordPolicy: RecordPolicy;
}
