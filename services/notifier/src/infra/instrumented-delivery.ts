import type { DailyTotal } from '@costwatch/contracts';
import { backoffDelay, type RetryPolicy } from '@costwatch/kafka';
import type { NotifierMetrics } from '../application/notifier-metrics';
import type { AlertRefresher, DailyTotalSink, DeliveryContext, NotificationChannel } from '../application/ports';
import type { ChannelKind, ChannelTarget } from '../domain/delivery-plan';
import type { Notice } from '../domain/notice';
import type { Severity } from '../domain/severity';

/**
 * Runs one delivery with bounded retries and backoff, timing every attempt and counting
 * every failed one. The last failure is rethrown: the caller leaves the destination
 * pending and the Kafka consumer redelivers the message.
 */
export async function withRetries(
  channel: ChannelKind,
  metrics: NotifierMetrics,
  policy: RetryPolicy,
  attempt: () => Promise<void>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  for (let n = 1; ; n += 1) {
    const stop = metrics.deliverySeconds.startTimer({ channel });
    try {
      await attempt();
      stop();
      return;
    } catch (error) {
      stop();
      metrics.deliveryFailures.inc({ channel });
      if (n >= policy.maxAttempts) throw error;
      await sleep(backoffDelay(policy, n));
    }
  }
}

/** Wraps a destination with retries and the delivery metrics. */
export class InstrumentedChannel implements NotificationChannel {
  constructor(
    private readonly inner: NotificationChannel,
    private readonly metrics: NotifierMetrics,
    private readonly policy: RetryPolicy,
  ) {}

  get target(): ChannelTarget {
    return this.inner.target;
  }

  async deliver(notice: Notice, context: DeliveryContext): Promise<void> {
    await withRetries(this.target.kind, this.metrics, this.policy, () => this.inner.deliver(notice, context));
    this.metrics.countSent(this.target.kind);
  }
}

/** Re-sends to one Alertmanager with retries; failures are counted, re-sends are not "sent" notices. */
export class InstrumentedRefresher implements AlertRefresher {
  constructor(
    private readonly inner: AlertRefresher,
    private readonly metrics: NotifierMetrics,
    private readonly policy: RetryPolicy,
  ) {}

  get target(): ChannelTarget {
    return this.inner.target;
  }

  refresh(alerts: ReadonlyArray<{ notice: Notice; severity: Severity }>, now: number): Promise<void> {
    return withRetries(this.target.kind, this.metrics, this.policy, () => this.inner.refresh(alerts, now));
  }
}

export class InstrumentedDailyTotalSink implements DailyTotalSink {
  constructor(
    private readonly inner: DailyTotalSink,
    private readonly metrics: NotifierMetrics,
    private readonly policy: RetryPolicy,
  ) {}

  async deliverDailyTotal(total: DailyTotal, context: { eventId: string; correlationId?: string }): Promise<void> {
    await withRetries('syslog', this.metrics, this.policy, () => this.inner.deliverDailyTotal(total, context));
    this.metrics.countSent('syslog');
  }
}
