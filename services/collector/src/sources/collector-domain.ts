/**
 * The collector domain the sources implement, re-exported one level up: the workspace lint
 * rule bans `../../` imports (it is meant for crossing projects), and every source lives
 * two folders below `domain/`.
 */
export type { BillingSource, CollectionWindow, RejectedRow, SourceBatch } from '../domain/billing-source';
export { buildRecord, type RecordFields } from '../domain/build-record';
