import type { BillingRecord } from '@costwatch/contracts';

/** A half-open collection window [from, to) at one granularity. */
export interface CollectionWindow {
  from: Date;
  to: Date;
  granularity: BillingRecord['granularity'];
}

/** A row a source could not turn into a record: reported, counted, never silently dropped. */
export interface RejectedRow {
  source: BillingRecord['source'];
  /** Where the row came from, e.g. "line 42" of a FOCUS file or "page 3, item 7". */
  location: string;
  reason: string;
  raw?: unknown;
}

export interface SourceBatch {
  records: BillingRecord[];
  rejected: RejectedRow[];
}

/**
 * Every billing source (KakaoCloud-style API, AWS Cost Explorer, FOCUS files, the
 * synthetic generator) behind one interface: it yields batches of validated records with
 * deterministic ids for a window; the collector publishes them.
 */
export interface BillingSource {
  readonly name: BillingRecord['source'];
  collect(window: CollectionWindow): AsyncIterable<SourceBatch>;
}
