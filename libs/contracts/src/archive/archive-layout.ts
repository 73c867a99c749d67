import { createHash } from 'node:crypto';
import type { BillingRecord } from '../events/billing-record';

// The S3 archive's layout, shared by the archiver (writes it) and replay (reads it).

/** The seed's layout: `raw/year=YYYY/month=MM/day=DD/billing_YYYYMMDD.json` for the day file. */
export function dayPrefix(date: string): string {
  const [year, month, day] = date.split('-');
  return `raw/year=${year}/month=${month}/day=${day}/`;
}

export function dayFileKey(date: string): string {
  return `${dayPrefix(date)}billing_${date.replace(/-/g, '')}.json`;
}

/**
 * A part file holds one batch's records of one day as JSON lines, sorted by id. Its key
 * is the hash of its content, so archiving the same batch again writes the same object.
 */
export function partFile(date: string, records: readonly BillingRecord[]): { key: string; body: string } {
  const body = [...records]
    .sort((a, b) => (a.id === b.id ? a.collectedAt.localeCompare(b.collectedAt) : a.id.localeCompare(b.id)))
    .map((record) => JSON.stringify(record))
    .join('\n');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 32);
  return { key: `${dayPrefix(date)}parts/${hash}.jsonl`, body: `${body}\n` };
}

/** The day file: every record of the day once (the newest restatement), sorted by id. */
export function compactDay(parts: readonly string[]): BillingRecord[] {
  const newest = new Map<string, BillingRecord>();
  for (const part of parts) {
    for (const line of part.split('\n')) {
      if (line.trim() === '') continue;
      const record = JSON.parse(line) as BillingRecord;
      const seen = newest.get(record.id);
      if (!seen || seen.collectedAt <= record.collectedAt) newest.set(record.id, record);
    }
  }
  return [...newest.values()].sort((a, b) => a.id.localeCompare(b.id));
}
