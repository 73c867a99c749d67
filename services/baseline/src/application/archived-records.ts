import type { BillingRecord } from '@costwatch/contracts';

/** Reads the bodies of one day's part files (JSON lines). */
export type DayPartsReader = (date: string) => Promise<readonly string[]>;

/**
 * Which record revisions each day's part files in S3 already hold, so that archiving a
 * record again (a replay, a redelivered batch, a record collected twice) writes nothing.
 *
 * A day's index is read from its part files the first time a batch touches the day, then
 * kept up to date with what this process writes. Records are keyed by id, so a record is
 * always archived by whichever archiver owns its partition; when ownership changes
 * (`forget`), the days are read again, parts written by the previous owner included. At
 * most `maxDays` days are kept in memory, least recently used first out; a day dropped is
 * read again when a batch touches it.
 */
export class ArchivedRecords {
  private readonly days = new Map<string, Promise<Map<string, number>>>();

  constructor(
    private readonly readParts: DayPartsReader,
    private readonly maxDays = 32,
  ) {}

  /**
   * The records of `date` that its parts do not hold yet: one per id (the newest
   * revision in the batch), and only if newer than the revision archived.
   */
  async unarchived(date: string, records: readonly BillingRecord[]): Promise<BillingRecord[]> {
    const archived = await this.day(date);
    const newest = new Map<string, BillingRecord>();
    for (const record of records) {
      const seen = newest.get(record.id);
      if (!seen || Date.parse(seen.collectedAt) <= Date.parse(record.collectedAt)) newest.set(record.id, record);
    }
    return [...newest.values()].filter((record) => (archived.get(record.id) ?? -Infinity) < Date.parse(record.collectedAt));
  }

  /** `records` of `date` are in S3 now. */
  async archived(date: string, records: readonly BillingRecord[]): Promise<void> {
    const index = this.days.get(date);
    if (!index) return; // dropped meanwhile: the next read of the day finds the part in S3
    remember(await index, records);
  }

  /** Partition ownership changed: what other instances archived is read again from S3. */
  forget(): void {
    this.days.clear();
  }

  private day(date: string): Promise<Map<string, number>> {
    let index = this.days.get(date);
    if (index) {
      this.days.delete(date); // most recently used goes last
    } else {
      index = this.readParts(date).then((parts) => {
        const revisions = new Map<string, number>();
        for (const part of parts) remember(revisions, parseLines(part));
        return revisions;
      });
      // A failed read is not kept: the batch fails and its redelivery reads again.
      index.catch(() => this.days.get(date) === index && this.days.delete(date));
    }
    this.days.set(date, index);
    while (this.days.size > this.maxDays) this.days.delete(this.days.keys().next().value as string);
    return index;
  }
}

function parseLines(part: string): BillingRecord[] {
  return part
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BillingRecord);
}

function remember(revisions: Map<string, number>, records: readonly BillingRecord[]): void {
  for (const record of records) {
    const at = Date.parse(record.collectedAt);
    if ((revisions.get(record.id) ?? -Infinity) < at) revisions.set(record.id, at);
  }
}
