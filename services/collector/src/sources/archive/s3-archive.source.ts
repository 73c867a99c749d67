import { MS, billingRecordIntrinsicSchema, billingSources, compactDay, dayFileKey, dayPrefix, type BillingRecord } from '@costwatch/contracts';
import type { S3Store } from '@costwatch/s3';
import type { RejectedRow, SourceBatch } from '../../domain/billing-source';

/** What one archived day gave back. */
export interface ArchivedDay {
  /** YYYY-MM-DD */
  date: string;
  /** Objects read: part files, or the day file when the day has no parts. */
  objects: number;
  batch: SourceBatch;
}

/**
 * Reads records back from the archiver's S3 layout, day by day, for replay. The part files
 * are the source of truth (the day file is their compaction, rewritten when a day closes),
 * so a day is rebuilt from its parts, keeping the newest restatement of each record; a day
 * with only a day file (e.g. an archive copied from elsewhere) is read from that file.
 * Every line is validated again (and once more, with the RECORD_* settings, when it is
 * published): a record that no longer passes is rejected, not replayed.
 */
export class S3ArchiveSource {
  constructor(private readonly store: S3Store) {}

  async *days(window: { from: Date; to: Date }): AsyncGenerator<ArchivedDay> {
    for (let t = window.from.getTime(); t < window.to.getTime(); t += MS.day) {
      yield await this.day(new Date(t).toISOString().slice(0, 10));
    }
  }

  async day(date: string): Promise<ArchivedDay> {
    const partKeys = (await this.store.listKeys(`${dayPrefix(date)}parts/`)).sort();
    if (partKeys.length > 0) {
      const parts = await Promise.all(partKeys.map(async (key) => (await this.store.getText(key)) ?? ''));
      return { date, objects: partKeys.length, batch: validate(compactDay(parts), dayPrefix(date)) };
    }
    const dayFile = await this.store.getText(dayFileKey(date));
    if (dayFile === undefined) return { date, objects: 0, batch: { records: [], rejected: [] } };
    return { date, objects: 1, batch: validate(parseDayFile(dayFile, dayFileKey(date)), dayFileKey(date)) };
  }
}

function parseDayFile(text: string, key: string): unknown[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${key} is not a JSON array of records`);
  return parsed;
}

function validate(candidates: readonly unknown[], location: string): SourceBatch {
  const records: BillingRecord[] = [];
  const rejected: RejectedRow[] = [];
  candidates.forEach((candidate, index) => {
    const parsed = billingRecordIntrinsicSchema.safeParse(candidate);
    if (parsed.success) records.push(parsed.data);
    else
      rejected.push({
        source: sourceOf(candidate),
        location: `${location} record ${index + 1}`,
        reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`).join('; '),
        raw: candidate,
      });
  });
  return { records, rejected };
}

function sourceOf(candidate: unknown): BillingRecord['source'] {
  const source = (candidate as { source?: unknown } | null)?.source;
  return billingSources.find((known) => known === source) ?? 'synthetic';
}
