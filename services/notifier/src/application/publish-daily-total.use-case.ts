import { createHash } from 'node:crypto';
import type { DailyTotal } from '@costwatch/contracts';
import type { Logger } from 'pino';
import type { NotifierMetrics } from './notifier-metrics';
import { DeliveryFailedError } from './errors';
import type { DeliverySettings } from './outbox-deliverer';
import type { Channels, Clock, DeliveryLease, NotificationLog } from './ports';

export interface PublishDailyTotalCommand {
  eventId: string;
  correlationId?: string;
  total: DailyTotal;
}

/**
 * Deterministic id of one daily-total line: the series, the day and the amount. A replay of
 * the same total is a duplicate; a restated total (a new amount) is logged again.
 */
export function dailyTotalLogId(total: DailyTotal): string {
  const key = [total.date, total.domainId, total.projectId, total.serviceId, total.currency, total.amount].map((part) => `${part.length}:${part}`).join('|');
  return `daily:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

export interface DailyTotalRetryReport {
  /** Pending lines written by this pass. */
  retried: number;
  /** Lines still pending after it (syslog still down: the pass stops at the first failure). */
  failures: number;
}

/**
 * A closed day's total becomes one `BILLING_DAILY_TOTAL` syslog line. Only dedup applies:
 * it is a log line for dashboards and keyword policies, not a page, so silences and quiet
 * hours do not hold it back.
 *
 * The line is recorded `pending` in `notification_log` before it is sent and `delivered`
 * only once syslog took it. A line syslog did not take is counted as a delivery failure,
 * stays pending and fails the use case (the Kafka consumer redelivers, then dead-letters);
 * the periodic sweep writes whatever is still pending (`retryPending`). A delivery lease
 * keeps the consumer and the sweep from writing the same line twice.
 */
export class PublishDailyTotalUseCase {
  constructor(
    private readonly log: NotificationLog,
    private readonly channels: Channels,
    private readonly metrics: NotifierMetrics,
    private readonly clock: Clock,
    private readonly delivery: DeliverySettings,
  ) {}

  async execute(command: PublishDailyTotalCommand, logger: Logger): Promise<'written' | 'duplicate' | 'busy'> {
    const id = dailyTotalLogId(command.total);
    const claim = await this.log.claimDailyTotal(id, command.total, command.eventId, this.lease());
    if (claim === 'delivered') {
      this.metrics.countSuppressed('duplicate');
      logger.debug({ dailyTotal: id }, 'daily total already written');
      return 'duplicate';
    }
    if (claim === 'busy') {
      // Another consumer or the sweep is writing it now; if that fails, the line stays pending for the sweep.
      logger.debug({ dailyTotal: id }, 'daily total being written elsewhere');
      return 'busy';
    }
    await this.write(id, command.total, { eventId: command.eventId, ...(command.correlationId ? { correlationId: command.correlationId } : {}) }, logger);
    return 'written';
  }

  /** Writes the lines still pending (a message dead-lettered, a crash, syslog down), oldest first. */
  async retryPending(logger: Logger): Promise<DailyTotalRetryReport> {
    const report: DailyTotalRetryReport = { retried: 0, failures: 0 };
    for await (const pending of this.log.pendingDailyTotals(this.clock())) {
      if ((await this.log.claimDailyTotal(pending.id, pending.total, pending.eventId, this.lease())) !== 'claimed') continue;
      try {
        await this.write(pending.id, pending.total, { eventId: pending.eventId }, logger);
        report.retried += 1;
      } catch (error) {
        if (!(error instanceof DeliveryFailedError)) throw error;
        // Syslog is still down: the rest waits for the next sweep instead of each failing in turn.
        report.failures += 1;
        break;
      }
    }
    if (report.retried + report.failures > 0) logger.info(report, 'pending daily totals retried');
    return report;
  }

  private lease(): DeliveryLease {
    const now = this.clock();
    return { owner: this.delivery.owner, now, until: now + this.delivery.leaseMs };
  }

  private async write(id: string, total: DailyTotal, context: { eventId: string; correlationId?: string }, logger: Logger): Promise<void> {
    try {
      await this.channels.dailyTotals.deliverDailyTotal(total, context);
    } catch (error) {
      await this.log.releaseDailyTotal(id, this.delivery.owner);
      const failure = new DeliveryFailedError(['syslog'], [`syslog: ${error instanceof Error ? error.message : String(error)}`], error);
      logger.warn({ dailyTotal: id, err: failure }, 'daily total not written to syslog; will retry');
      throw failure;
    }
    await this.log.dailyTotalDelivered(id, this.clock());
    logger.info({ dailyTotal: id, date: total.date, serviceId: total.serviceId }, 'daily total written to syslog');
  }
}
