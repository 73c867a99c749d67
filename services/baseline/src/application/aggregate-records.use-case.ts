import { Inject, Injectable } from '@nestjs/common';
import { approximate, type BillingRecord, type DailyTotal, type HourlySnapshot } from '@costwatch/contracts';
import { rollupDay, type StoredRecord } from '../domain/day-rollup';
import { dayKey, hourKey, periodSlot } from '../domain/rollup-keys';
import { Watermark } from '../domain/watermark';
import type { DaysRepository } from '../infra/days.repository';
import { RecordsRepository } from '../infra/records.repository';
import { RollupsRepository, type DailyDocument, type HourlyDocument } from '../infra/rollups.repository';
import { AGGREGATOR_DAYS, BASELINE_SETTINGS, BILLING_EVENTS, type BaselineSettings, type BillingEventsPort } from './billing-events.port';
import { CloseDayUseCase } from './close-day.use-case';
import { toDailyTotal } from './daily-total';

export interface IncomingRecord {
  record: BillingRecord;
  partition: number;
}

function parseDayKey(key: string) {
  const [date = '', domainId = '', projectId = '', serviceId = '', currency = ''] = key.split('|');
  return { date, domainId, projectId, serviceId, currency };
}

/**
 * Stores a batch of records and brings the rollups of every series-day it touched up to
 * date. Rollups are recomputed from the stored records (never incremented), so redelivery,
 * replay and restatements cannot double count, and a crash at any step heals on redelivery.
 * Step order matters: hourly rollups, then snapshots, then the daily document — the daily
 * document is what later batches compare against, so it is written last.
 */
@Injectable()
export class AggregateRecordsUseCase {
  private readonly watermark = new Watermark();

  constructor(
    private readonly records: RecordsRepository,
    private readonly rollups: RollupsRepository,
    @Inject(AGGREGATOR_DAYS) private readonly days: DaysRepository,
    @Inject(BILLING_EVENTS) private readonly events: BillingEventsPort,
    @Inject(BASELINE_SETTINGS) private readonly settings: BaselineSettings,
    private readonly closeDay: CloseDayUseCase,
  ) {}

  async execute(batch: readonly IncomingRecord[]): Promise<void> {
    const newest = new Map<string, BillingRecord>();
    for (const { record } of batch) {
      const seen = newest.get(record.id);
      if (!seen || seen.collectedAt <= record.collectedAt) newest.set(record.id, record);
    }
    const records = [...newest.values()];
    await this.records.upsertNewest(records);

    const dayKeys = [...new Set(records.map((r) => dayKey(periodSlot(r.periodStart).date, r)))];
    const [stored, existing] = await Promise.all([this.records.findByDayKeys(dayKeys), this.rollups.findDaily(dayKeys)]);
    const storedByDay = new Map<string, Array<StoredRecord & { serviceName: string }>>();
    for (const record of stored) storedByDay.set(record.dayKey, [...(storedByDay.get(record.dayKey) ?? []), record]);
    const previous = new Map(existing.map((d) => [d._id, d]));

    const hourly: HourlyDocument[] = [];
    const snapshots: HourlySnapshot[] = [];
    const daily: DailyDocument[] = [];
    for (const key of dayKeys) {
      const dayRecords = storedByDay.get(key) ?? [];
      const serviceName = dayRecords[0]?.serviceName ?? parseDayKey(key).serviceId;
      const { date, ...series } = parseDayKey(key);
      const rollup = rollupDay(dayRecords);
      const before = previous.get(key);
      const revisions = [...(before?.revisions ?? new Array<number>(24).fill(0))];
      let changedHours = 0;
      for (let hour = 0; hour < 24; hour += 1) {
        const amount = rollup.hours[hour] ?? '0';
        const recordCount = rollup.hourCounts[hour] ?? 0;
        const unchanged = before ? before.hours[hour] === amount && before.hourCounts[hour] === recordCount : recordCount === 0;
        if (unchanged) continue;
        const revision = (revisions[hour] ?? 0) + 1;
        revisions[hour] = revision;
        changedHours += 1;
        hourly.push({ _id: hourKey(date, hour, series), date, hour, ...series, serviceName, amount, amountValue: approximate(amount), recordCount, revision });
        snapshots.push({ date, hour, ...series, serviceName, amount, recordCount, revision });
      }
      const dayChanged = !before || before.amount !== rollup.total || before.recordCount !== rollup.recordCount || changedHours > 0;
      if (dayChanged) {
        daily.push({
          _id: key,
          date,
          ...series,
          serviceName,
          amount: rollup.total,
          amountValue: approximate(rollup.total),
          recordCount: rollup.recordCount,
          hours: rollup.hours,
          hourCounts: rollup.hourCounts,
          revisions,
        });
      }
    }

    await this.rollups.writeHourly(hourly);
    await this.events.publishSnapshots(snapshots);
    const dates = [...new Set(dayKeys.map((key) => parseDayKey(key).date))];
    await this.days.touch(dates);
    await this.rollups.writeDaily(daily);
    await this.republishRestatedClosedDays(daily);

    for (const { record, partition } of batch) this.watermark.observe(partition, Date.parse(record.periodEnd));
    for (const day of this.watermark.closable(await this.days.openDays(), this.settings.dayCloseGraceMs)) {
      await this.closeDay.execute(day);
    }
  }

  /** A restatement of an already closed day: its daily total is published again. */
  private async republishRestatedClosedDays(daily: readonly DailyDocument[]): Promise<void> {
    const totals: DailyTotal[] = [];
    const closed = new Map<string, boolean>();
    for (const doc of daily) {
      if (!closed.has(doc.date)) closed.set(doc.date, await this.days.isClosed(doc.date));
      if (closed.get(doc.date)) totals.push(toDailyTotal(doc));
    }
    await this.events.publishDailyTotals(totals);
  }

  /** Partitions revoked from this instance no longer hold the watermark back. */
  forgetPartition(partition: number): void {
    this.watermark.forget(partition);
  }
}
