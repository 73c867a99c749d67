import { Counter, Histogram, type Registry } from 'prom-client';
import { JobMetrics } from '@costwatch/observability';
import { channelKinds, type ChannelKind } from '../domain/delivery-plan';
import { suppressionReasons, type SuppressionReason } from '../domain/notice';

/** job_name of the periodic sweep (re-sends to Alertmanager, held and pending deliveries) in costwatch_job_* metrics. */
export const SWEEP_JOB = 'notification-sweep';

/** Notification metrics on the service's own registry, with fixed label names and values. */
export class NotifierMetrics {
  readonly sent: Counter<'channel'>;
  readonly suppressed: Counter<'reason'>;
  readonly deliveryFailures: Counter<'channel'>;
  readonly deliverySeconds: Histogram<'channel'>;
  readonly jobs: JobMetrics;

  constructor(registry: Registry) {
    this.sent = new Counter({
      name: 'costwatch_notifications_sent_total',
      help: 'Notices delivered, per destination (each Alertmanager instance counts once).',
      labelNames: ['channel'],
      registers: [registry],
    });
    this.suppressed = new Counter({
      name: 'costwatch_notifications_suppressed_total',
      help: 'Notices not sent (or, for quiet_hours, held back from the paging channels), by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.deliveryFailures = new Counter({
      name: 'costwatch_notification_delivery_failures_total',
      help: 'Failed delivery attempts (each retry counts), Alertmanager re-sends included.',
      labelNames: ['channel'],
      registers: [registry],
    });
    this.deliverySeconds = new Histogram({
      name: 'costwatch_notification_delivery_seconds',
      help: 'Duration of one delivery attempt.',
      labelNames: ['channel'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    // Zero series up front, so dashboards and rate() see every channel and reason from the start.
    for (const channel of channelKinds) {
      this.sent.inc({ channel }, 0);
      this.deliveryFailures.inc({ channel }, 0);
    }
    for (const reason of suppressionReasons) this.suppressed.inc({ reason }, 0);
    this.jobs = JobMetrics.of(registry);
    this.jobs.register(SWEEP_JOB);
  }

  countSuppressed(reason: SuppressionReason): void {
    this.suppressed.inc({ reason });
  }

  countSent(channel: ChannelKind): void {
    this.sent.inc({ channel });
  }
}
