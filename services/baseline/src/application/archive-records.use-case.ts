import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { compactDay, dayFileKey, dayPrefix, partFile, type BillingRecord } from '@costwatch/contracts';
import { ROOT_LOGGER } from '@costwatch/observability';
import { S3Store } from '@costwatch/s3';
import { DayClock, type BacklogProbe } from './day-clock';
import { periodSlot } from '../domain/rollup-keys';
import type { DaysRepository } from '../infra/days.repository';
import { BaselineJobs, BaselineMetrics } from './baseline-metrics';
import { ARCHIVE_DAYS, BASELINE_SETTINGS, DAY_STATUS_MAX_AGE_MS, type BaselineSettings } from './billing-events.port';
import type { IncomingRecord } from './aggregate-records.use-case';

/**
 * Keeps every record in S3. Each batch is written as content-addressed part files per day
 * (idempotent: the same batch gives the same keys); when a day closes, its parts are
 * compacted into the seed's day file. A late record for a closed day re-compacts it.
 */
@Injectable()
export class ArchiveRecordsUseCase {
  private readonly clock = new DayClock();
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
    await Promise.all([...byDate].map(([date, records]) => {
      const part = partFile(date, records);
      return this.store.putText(part.key, part.body, 'application/x-ndjson');
    }));
    this.metrics.archiveObjects.inc({ kind: 'part' }, byDate.size);
    this.metrics.archived.inc(batch.length);
    const dates = [...byDate.keys()];
    await this.days.touch(dates);
    for (const { record, partition } of batch) this.clock.observe(partition, Date.parse(record.periodStart), record.id);
    await this.compactClosedDays(dates);
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

  /** Partition ownership changed: per-partition progress starts over (see DayClock). */
  rejoined(owned: readonly number[], probe: BacklogProbe): void {
    this.clock.rejoined(owned, probe);
  }
}
