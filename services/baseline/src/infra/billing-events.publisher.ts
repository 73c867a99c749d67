import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  DAILY_TOTAL_EVENT,
  DAY_CLOSED_EVENT,
  HOURLY_SNAPSHOT_EVENT,
  createEnvelope,
  dailyTotalEventSchema,
  dayClosedEventSchema,
  hourlySnapshotEventSchema,
  seriesKey,
  type DailyTotal,
  type DayClosed,
  type HourlySnapshot,
  type TopicNames,
} from '@costwatch/contracts';
import { EventPublisher, TOPIC_NAMES } from '@costwatch/kafka';
import type { BillingEventsPort } from '../application/billing-events.port';

const PRODUCER = 'baseline';
const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * Publishes the aggregator's outputs keyed by series (one series stays on one partition)
 * with deterministic event ids, so a republished snapshot or total is recognisably the same.
 */
@Injectable()
export class BillingEventsPublisher implements BillingEventsPort {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {}

  async publishSnapshots(snapshots: readonly HourlySnapshot[]): Promise<void> {
    await this.publisher.publish(
      this.topics.hourlySnapshots,
      hourlySnapshotEventSchema,
      snapshots.map((snapshot) => ({
        key: seriesKey(snapshot),
        event: createEnvelope(HOURLY_SNAPSHOT_EVENT, PRODUCER, snapshot, {
          eventId: digest(`snapshot|${snapshot.date}|${snapshot.hour}|${seriesKey(snapshot)}|${snapshot.currency}|${snapshot.revision}`),
        }),
      })),
    );
  }

  async publishDailyTotals(totals: readonly DailyTotal[]): Promise<void> {
    await this.publisher.publish(
      this.topics.dailyTotals,
      dailyTotalEventSchema,
      totals.map((total) => ({
        key: seriesKey(total),
        event: createEnvelope(DAILY_TOTAL_EVENT, PRODUCER, total, {
          eventId: digest(`daily|${total.date}|${seriesKey(total)}|${total.currency}|${total.amount}|${total.recordCount}`),
        }),
      })),
    );
  }

  async publishDayClosed(day: DayClosed): Promise<void> {
    await this.publisher.publish(this.topics.dayClosed, dayClosedEventSchema, [
      { key: day.date, event: createEnvelope(DAY_CLOSED_EVENT, PRODUCER, day, { eventId: digest(`day-closed|${day.date}|${day.seriesCount}|${day.silentDomains.map((d) => d.domainId).join(',')}`) }) },
    ]);
  }
}
