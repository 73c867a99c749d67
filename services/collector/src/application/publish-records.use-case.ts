import {
  BILLING_RECORD_EVENT,
  billingRecordEventSchemaFor,
  billingRecordSchemaFor,
  createEnvelope,
  deadLetterTopic,
  defaultRecordPolicy,
  seriesKey,
  type BillingRecord,
  type RecordPolicy,
  type TopicNames,
} from '@costwatch/contracts';
import type { EventPublisher } from '@costwatch/kafka';
import { Headers } from '@costwatch/kafka';
import type { BillingSource, CollectionWindow, RejectedRow, SourceBatch } from '../domain/billing-source';

export interface CollectionSummary {
  source: string;
  published: number;
  rejected: number;
  firstPeriod: string | undefined;
  lastPeriod: string | undefined;
  seconds: number;
}

export type ProgressListener = (summary: CollectionSummary) => void;

const CHUNK = 500;
/**
 * Kafka refuses a message above its limit (1 MiB by default), which would fail the whole
 * collection: a larger rejected row (a hostile multi-megabyte cell) is dead-lettered with an
 * excerpt of itself instead, so it still reaches the dead-letter topic with its reason.
 */
const MAX_DEAD_LETTER_BYTES = 256 * 1024;
const DEAD_LETTER_EXCERPT_BYTES = 16 * 1024;

/** The dead letter's value: the rejected row as JSON, or an excerpt of it when it is too large. */
function deadLetterValue(raw: unknown): { value: Buffer; truncatedFrom?: number } {
  const value = Buffer.from(JSON.stringify(raw ?? null));
  if (value.length <= MAX_DEAD_LETTER_BYTES) return { value };
  const excerpt = value.toString('utf8', 0, DEAD_LETTER_EXCERPT_BYTES);
  return { value: Buffer.from(JSON.stringify({ truncated: true, bytes: value.length, excerpt })), truncatedFrom: value.length };
}

/**
 * Publishes what a source yields to billing.records.v1, keyed by series so one
 * domain/project/service stays on one partition (and in order). Rows the source could not
 * turn into records, and records that break the deployment's record policy (RECORD_*
 * settings: currency list, time window), go to the records dead-letter topic with their
 * reason and location.
 */
export class PublishRecordsUseCase {
  private readonly recordSchema: ReturnType<typeof billingRecordSchemaFor>;
  private readonly eventSchema: ReturnType<typeof billingRecordEventSchemaFor>;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly topics: TopicNames,
    private readonly producer: string,
    policy: RecordPolicy = defaultRecordPolicy,
  ) {
    this.recordSchema = billingRecordSchemaFor(policy);
    this.eventSchema = billingRecordEventSchemaFor(policy);
  }

  async collect(source: BillingSource, window: CollectionWindow, onProgress?: ProgressListener): Promise<CollectionSummary> {
    return this.publishAll(source.name, source.collect(window), onProgress);
  }

  async publishAll(sourceName: string, batches: AsyncIterable<SourceBatch>, onProgress?: ProgressListener): Promise<CollectionSummary> {
    const started = Date.now();
    const summary: CollectionSummary = { source: sourceName, published: 0, rejected: 0, firstPeriod: undefined, lastPeriod: undefined, seconds: 0 };
    const correlationId = `${sourceName}-${new Date(started).toISOString()}`;
    for await (const sourceBatch of batches) {
      const batch = this.checked(sourceBatch);
      for (let i = 0; i < batch.records.length; i += CHUNK) {
        const chunk = batch.records.slice(i, i + CHUNK);
        await this.publisher.publish(
          this.topics.billingRecords,
          this.eventSchema,
          chunk.map((record) => ({ key: seriesKey(record), event: createEnvelope(BILLING_RECORD_EVENT, this.producer, record, { correlationId }) })),
        );
        for (const record of chunk) {
          if (!summary.firstPeriod || record.periodStart < summary.firstPeriod) summary.firstPeriod = record.periodStart;
          if (!summary.lastPeriod || record.periodStart > summary.lastPeriod) summary.lastPeriod = record.periodStart;
        }
        summary.published += chunk.length;
      }
      await this.deadLetter(batch.rejected);
      summary.rejected += batch.rejected.length;
      summary.seconds = (Date.now() - started) / 1000;
      onProgress?.(summary);
    }
    summary.seconds = (Date.now() - started) / 1000;
    return summary;
  }

  /** The batch with each record checked against the record policy; those that fail join its rejected rows. */
  private checked(batch: SourceBatch): SourceBatch {
    const records: BillingRecord[] = [];
    const rejected: RejectedRow[] = [...batch.rejected];
    for (const record of batch.records) {
      const result = this.recordSchema.safeParse(record);
      if (result.success) records.push(result.data);
      else {
        const reason = result.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
        rejected.push({ source: record.source, location: `record ${record.id}`, reason, raw: record });
      }
    }
    return rejected.length === batch.rejected.length ? batch : { records, rejected };
  }

  private async deadLetter(rows: readonly RejectedRow[]): Promise<void> {
    for (const row of rows) {
      const { value, truncatedFrom } = deadLetterValue(row.raw);
      await this.publisher.publishRaw(deadLetterTopic(this.topics.billingRecords), {
        key: row.source,
        value,
        headers: {
          [Headers.dlqReason]: `invalid: ${row.reason}`,
          'x-dlq-source': row.source,
          'x-dlq-location': row.location,
          [Headers.dlqFailedAt]: new Date().toISOString(),
          ...(truncatedFrom !== undefined ? { 'x-dlq-truncated-from-bytes': String(truncatedFrom) } : {}),
        },
      });
    }
  }
}
