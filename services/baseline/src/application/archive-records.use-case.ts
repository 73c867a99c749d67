import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { compactDay, dayFileKey, dayPrefix, partFile, type BillingRecord } from '@costwatch/contracts';
import { ROOT_LOGGER } from '@costwatch/observability';
import { S3Store } from '@costwatch/s3';
import { ArchivedRecords } from './archived-records';
import { DayClock, type BacklogProbe } from './day-clock';
import { periodSlot } from '../domain/rollup-keys';
import type { DaysRepository } from '../infra/days.repository';
import { BaselineJobs, BaselineMetrics } from './baseline-metrics';
import { ARCHIVE_DAYS, BASELINE_SETTINGS, DAY_STATUS_MAX_AGE_MS, type BaselineSettings } from './billing-events.port';
import type { IncomingRecord } from './aggregate-records.use-case';

/**
 * Keeps every record in S3. Each batch is written as content-addressed part files per day,
 * holding only record revisions the day's parts do not have yet (ArchivedRecords), so a
 * replay adds no line; when a day closes, its parts are compacted into the seed's day file.
 * A late record for a closed day re-compacts it.
 */
@Injectable()
export class ArchiveRecordsUseCase {
  private readonly clock = new DayClock();
  private readonly archivedRecords = new ArchivedRecords((date) => this.readParts(date));
  private compacting: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: S3Store,
    @Inject(ARCHIVE_DAYS) private readonly days: DaysRepository,
    @Inject(BASELINE_SETTINGS) private readonly settings: BaselineSettings,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: BaselineMetrics,
  ) {}

  async execute(batch: readonly IncomingRecord[]): Promise<void> {
    const byDate = new Map<string, BillingRecord[]>();
    for (const { record } of batch) {
      const { date } = periodSlot(record.periodStart);
      byDate.set(date, [...(byDate.get(date) ?? []), record]);
    }
    const written = await Promise.all([...byDate].map(async ([date, records]) => ({ date, count: await this.writePart(date, records) })));
    const changed = written.filter(({ count }) => count > 0).map(({ date }) => date);
    this.metrics.archiveObjects.inc({ kind: 'part' }, changed.length);
    this.metrics.archived.inc(written.reduce((sum, { count }) => sum + count, 0));
    const dates = [...byDate.keys()];
    await this.days.touch(dates);
    for (const { record, partition } of batch) this.clock.observe(partition, Date.parse(record.periodStart), record.id);
    await this.compactClosedDays(changed);
  }

  /**
   * Writes the records of `date` that its parts do not hold yet as one part file, and
   * returns how many. A replay or a redelivered batch writes nothing: the archive never
   * holds a record revision twice.
   */
  private async writePart(date: string, records: readonly BillingRecord[]): Promise<number> {
    const fresh = await this.archivedRecords.unarchived(date, records);
    if (fresh.length === 0) return 0;
    const part = partFile(date, fresh);
    await this.store.putText(part.key, part.body, 'application/x-ndjson');
    await this.archivedRecords.archived(date, fresh);
    return fresh.length;
  }

  private async readParts(date: string): Promise<string[]> {
    const keys = await this.store.listKeys(`${dayPrefix(date)}parts/`);
    return Promise.all(keys.map(async (key) => (await this.store.getText(key)) ?? ''));
  }

  /**
   * Partitions are handled concurrently; compactions run one at a time, each listing the
   * parts after its own batch's parts were written, so the last one sees every part.
   */
  private compactClosedDays(touched: readonly string[]): Promise<void> {
    this.compacting = this.compacting.catch(() => undefined).then(async () => {
      for (const date of touched) {
        if (await this.days.isClosed(date, DAY_STATUS_MAX_AGE_MS)) await this.compact(date);
      }
      for (const date of await this.clock.closable(await this.days.openDays(DAY_STATUS_MAX_AGE_MS), this.settings.dayCloseGraceMs)) {
        await this.compact(date);
        await this.days.markClosed(date, new Date());
      }
    });
    return this.compacting;
  }

  compact(date: string): Promise<void> {
    return this.metrics.jobs.track(BaselineJobs.archiveCompaction, () => this.writeDayFile(date));
  }

  private async writeDayFile(date: string): Promise<void> {
    const keys = (await this.store.listKeys(`${dayPrefix(date)}parts/`)).sort();
    const parts = await Promise.all(keys.map(async (key) => (await this.store.getText(key)) ?? ''));
    const records = compactDay(parts);
    await this.store.putText(dayFileKey(date), JSON.stringify(records));
    this.metrics.archiveObjects.inc({ kind: 'day' });
    this.logger.info({ date, parts: keys.length, records: records.length }, 'day file written');
  }

  /** Partition ownership changed: per-partition progress starts over (see DayClock), and what is archived is read again. */
  rejoined(owned: readonly number[], probe: BacklogProbe): void {
    this.archivedRecords.forget();
    this.clock.rejoined(owned, probe);
  }
}
