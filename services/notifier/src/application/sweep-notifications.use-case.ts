import type { Logger } from 'pino';
import { holdsPaging, planDelivery } from '../domain/delivery-plan';
import { decideOnTick } from '../domain/notification-policy';
import { noticeState, type Notice } from '../domain/notice';
import { ConcurrentUpdateError, DeliveryFailedError } from './errors';
import type { NotificationSettings } from './notification-settings';
import type { NotifierMetrics } from './notifier-metrics';
import type { DeliveryResult, OutboxDeliverer } from './outbox-deliverer';
import type { Channels, Clock, NotificationLog, SeriesStateStore } from './ports';
import { keysWithStatus, leasedByOther, type SeriesRecord } from './series-record';

export interface SweepReport {
  examined: number;
  /** Alerts re-sent to each Alertmanager so they do not expire while still firing. */
  refreshed: number;
  /** Notices held for quiet hours and delivered now. */
  released: number;
  /** Unfinished deliveries retried successfully. */
  retried: number;
  /** Flapping series that became stable and were announced. */
  stabilised: number;
  failures: number;
}

/**
 * The periodic pass over every alert stream that needs attention (every
 * ALERTMANAGER_RESEND_INTERVAL): ends flapping episodes once stable, releases notices held
 * for quiet hours, retries deliveries left pending, and re-sends firing alerts to every
 * Alertmanager with `endsAt` a few intervals ahead.
 */
export class SweepNotificationsUseCase {
  constructor(
    private readonly store: SeriesStateStore,
    private readonly log: NotificationLog,
    private readonly channels: Channels,
    private readonly deliverer: OutboxDeliverer,
    private readonly metrics: NotifierMetrics,
    private readonly settings: NotificationSettings,
    private readonly clock: Clock,
  ) {}

  async run(logger: Logger): Promise<SweepReport> {
    const report: SweepReport = { examined: 0, refreshed: 0, released: 0, retried: 0, stabilised: 0, failures: 0 };
    const firing: SeriesRecord[] = [];
    for await (const record of this.store.findForSweep()) {
      report.examined += 1;
      const log = logger.child({ fingerprint: record.fingerprint });
      try {
        const current = await this.attend(record, report, log);
        if (current?.notice && noticeState(current.notice.kind) === 'firing') firing.push(current);
      } catch (error) {
        report.failures += 1;
        if (!(error instanceof ConcurrentUpdateError)) log.warn({ err: error }, 'sweep step failed');
      }
    }
    report.refreshed = await this.refresh(firing, logger, report);
    if (report.released + report.retried + report.stabilised + report.failures > 0) logger.info(report, 'notification sweep');
    return report;
  }

  private async attend(record: SeriesRecord, report: SweepReport, log: Logger): Promise<SeriesRecord | undefined> {
    const now = this.clock();
    const owner = this.deliverer.owner;
    let current: SeriesRecord | undefined = record;

    // 1. Deliveries left pending (a message dead-lettered, a crash) whose lease has expired.
    if (current.outbox && keysWithStatus(current.outbox, 'pending').length > 0 && !leasedByOther(current.outbox, owner, now)) {
      if ((await this.attempt(current, report, log)) === 'delivered') report.retried += 1;
      current = await this.store.get(record.fingerprint);
    }

    // 2. Quiet hours over: release the held paging destinations.
    const held = keysWithStatus(current?.outbox, 'held');
    if (current?.notice && current.outbox && held.length > 0 && !leasedByOther(current.outbox, owner, now)) {
      if (!holdsPaging(current.notice.kind, current.notice.severity, this.settings.quiet, now)) {
        const status = { ...current.outbox.status };
        for (const key of held) status[key] = 'pending';
        const claimed = await this.store.save({ ...current, outbox: { ...current.outbox, status, leaseOwner: owner, leaseUntil: now + this.deliverer.leaseMs } });
        log.info({ noticeId: claimed.notice?.noticeId, destinations: held }, 'quiet hours over; delivering held notice');
        report.released += 1;
        await this.attempt(claimed, report, log);
        current = await this.store.get(record.fingerprint);
      }
    }

    // 3. A flapping series that has been stable for a whole window: say its state once.
    if (current && !(current.outbox && leasedByOther(current.outbox, owner, now))) {
      const decision = decideOnTick(current.memory, current.anomaly, now, this.settings.policy);
      if (decision?.outcome === 'suppress') {
        current = await this.store.save({ ...current, memory: decision.memory });
        this.metrics.countSuppressed(decision.reason);
      } else if (decision?.outcome === 'notify') {
        const notice: Notice = {
          noticeId: `${current.fingerprint}:stable:${current.memory.lastEventId ?? now}`,
          fingerprint: current.fingerprint,
          kind: decision.kind,
          flapEnded: true,
          severity: decision.severity,
          anomaly: current.anomaly,
          createdAt: now,
        };
        const plan = planDelivery(notice.kind, this.channels.targets, current.channels, holdsPaging(notice.kind, notice.severity, this.settings.quiet, now));
        const saved = await this.store.save({
          ...current,
          memory: decision.memory,
          notice,
          outbox: { noticeId: notice.noticeId, status: plan, leaseOwner: owner, leaseUntil: now + this.deliverer.leaseMs, createdAt: now },
        });
        const superseded = [...keysWithStatus(current.outbox, 'pending'), ...keysWithStatus(current.outbox, 'held')];
        if (current.notice && superseded.length > 0) await this.log.noticeSuperseded({ notice: current.notice, keys: superseded, by: notice.noticeId, at: now });
        await this.log.noticeDecided(notice, plan, undefined);
        log.info({ kind: notice.kind }, 'flapping series is stable again');
        report.stabilised += 1;
        await this.attempt(saved, report, log);
        current = await this.store.get(record.fingerprint);
      }
    }
    return current;
  }

  /** Delivers what is pending; a destination still down is counted and left for the next sweep. */
  private async attempt(record: SeriesRecord, report: SweepReport, log: Logger): Promise<DeliveryResult | 'failed'> {
    try {
      return await this.deliverer.deliverPending(record, log);
    } catch (error) {
      if (!(error instanceof DeliveryFailedError)) throw error;
      report.failures += 1;
      return 'failed';
    }
  }

  /**
   * Re-sends firing alerts, one request per Alertmanager: each instance gets the alerts it
   * has firing, with the severity it has (an escalation held for quiet hours stays held).
   */
  private async refresh(records: readonly SeriesRecord[], logger: Logger, report: SweepReport): Promise<number> {
    const now = this.clock();
    let refreshed = 0;
    await Promise.all(
      this.channels.alertmanagers.map(async (am) => {
        const alerts = records.flatMap((record) => {
          const memory = record.channels[am.target.key];
          return record.notice && memory?.state === 'firing' ? [{ notice: record.notice, severity: memory.severity }] : [];
        });
        if (alerts.length === 0) return;
        try {
          await am.refresh(alerts, now);
          refreshed += alerts.length;
        } catch (error) {
          report.failures += 1;
          logger.warn({ err: error, channelKey: am.target.key }, 'alertmanager refresh failed');
        }
      }),
    );
    return refreshed;
  }
}
