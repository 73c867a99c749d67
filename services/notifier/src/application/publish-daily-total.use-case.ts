import { createHash } from 'node:crypto';
import type { DailyTotal } from '@costwatch/contracts';
import type { Logger } from 'pino';
import type { NotifierMetrics } from './notifier-metrics';
import type { Channels, Clock, NotificationLog } from './ports';

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

/**
 * A closed day's total becomes one `BILLING_DAILY_TOTAL` syslog line. Only dedup applies:
 * it is a log line for dashboards and keyword policies, not a page, so silences and quiet
 * hours do not hold it back.
 */
export class PublishDailyTotalUseCase {
  constructor(
    private readonly log: NotificationLog,
    private readonly channels: Channels,
    private readonly metrics: NotifierMetrics,
    private readonly clock: Clock,
  ) {}

  async execute(command: PublishDailyTotalCommand, logger: Logger): Promise<'written' | 'duplicate'> {
    const id = dailyTotalLogId(command.total);
    const claim = await this.log.beginDailyTotal(id, command.total, command.eventId);
    if (claim === 'delivered') {
      this.metrics.countSuppressed('duplicate');
      logger.debug({ dailyTotal: id }, 'daily total already written');
      return 'duplicate';
    }
    await this.channels.dailyTotals.deliverDailyTotal(command.total, {
      eventId: command.eventId,
      ...(command.correlationId ? { correlationId: command.correlationId } : {}),
    });
    await this.log.dailyTotalDelivered(id, this.clock());
    logger.info({ dailyTotal: id, date: command.total.date, serviceId: command.total.serviceId }, 'daily total written to syslog');
    return 'written';
  }
}
