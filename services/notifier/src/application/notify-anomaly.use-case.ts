import type { Anomaly } from '@costwatch/contracts';
import type { Logger } from 'pino';
import { fingerprint } from '../domain/alert-identity';
import { holdsPaging, planDelivery } from '../domain/delivery-plan';
import { decideOnEvent, emptyMemory } from '../domain/notification-policy';
import type { Notice, NoticeKind, SuppressionReason } from '../domain/notice';
import { ConcurrentUpdateError, DeliveryFailedError, OutboxBusyError } from './errors';
import type { NotificationSettings } from './notification-settings';
import type { NotifierMetrics } from './notifier-metrics';
import type { OutboxDeliverer } from './outbox-deliverer';
import type { Channels, Clock, NotificationLog, SeriesStateStore } from './ports';
import { keysWithStatus, type SeriesRecord } from './series-record';

export interface NotifyAnomalyCommand {
  eventId: string;
  /** ISO timestamp of the event (orders events of one alert stream). */
  occurredAt: string;
  correlationId?: string;
  anomaly: Anomaly;
}

export type NotifyAnomalyResult =
  | { outcome: 'notified'; kind: NoticeKind; noticeId: string; held: readonly string[] }
  | { outcome: 'suppressed'; reason: SuppressionReason }
  /** A redelivered event whose notice was finished now (or is being finished by another instance). */
  | { outcome: 'completed' | 'in_progress' };

const MAX_ROUNDS = 5;

/**
 * One anomaly event in, at most one notice out. The decision (dedup, flapping, silences,
 * quiet hours) and the outbox that records per-destination delivery are written to MongoDB
 * with compare-and-set before anything is sent, so a redelivery or a restart neither
 * forgets a notice nor sends it twice.
 */
export class NotifyAnomalyUseCase {
  constructor(
    private readonly store: SeriesStateStore,
    private readonly log: NotificationLog,
    private readonly channels: Channels,
    private readonly deliverer: OutboxDeliverer,
    private readonly metrics: NotifierMetrics,
    private readonly settings: NotificationSettings,
    private readonly clock: Clock,
  ) {}

  async execute(command: NotifyAnomalyCommand, logger: Logger): Promise<NotifyAnomalyResult> {
    const fp = fingerprint(command.anomaly);
    const log = logger.child({ fingerprint: fp, anomalyId: command.anomaly.anomalyId, eventId: command.eventId });
    for (let round = 1; round <= MAX_ROUNDS; round += 1) {
      let record = await this.store.get(fp);

      // An unfinished notice goes out before anything newer, so receivers see events in order.
      if (record?.outbox && keysWithStatus(record.outbox, 'pending').length > 0) {
        const sameEvent = record.outbox.eventId === command.eventId;
        try {
          const result = await this.deliverer.deliverPending(record, log);
          if (result === 'busy') {
            if (sameEvent) return { outcome: 'in_progress' };
            throw new OutboxBusyError(fp);
          }
          if (sameEvent) return { outcome: 'completed' };
          continue;
        } catch (error) {
          // A destination that is still down must not hold back newer notices for the others
          // (one dead Alertmanager of an HA pair, say): this event supersedes the old notice
          // there. The old one stays in the audit log and, its retries exhausted, in the DLQ.
          if (sameEvent || !(error instanceof DeliveryFailedError)) throw error;
          log.warn({ failed: error.failedKeys }, 'older notice still undelivered; superseding it with this event');
          record = await this.store.get(fp);
        }
      }

      try {
        return await this.decide(fp, record, command, log);
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError)) throw error;
        log.debug({ round }, 'state changed concurrently; deciding again');
      }
    }
    throw new ConcurrentUpdateError(fp);
  }

  private async decide(fp: string, record: SeriesRecord | undefined, command: NotifyAnomalyCommand, log: Logger): Promise<NotifyAnomalyResult> {
    const now = this.clock();
    const { anomaly } = command;
    const memory = record?.memory ?? emptyMemory();
    const decision = decideOnEvent(memory, { eventId: command.eventId, occurredAt: Date.parse(command.occurredAt), anomaly }, now, this.settings.policy);

    if (decision.outcome === 'suppress') {
      if (decision.memory !== memory) {
        await this.store.save({ ...(record ?? { fingerprint: fp, version: 0, channels: {} }), memory: decision.memory, anomaly });
      }
      this.metrics.countSuppressed(decision.reason);
      await this.log.noticeSuppressed({ fingerprint: fp, eventId: command.eventId, reason: decision.reason, detail: decision.detail, at: now });
      log.info({ reason: decision.reason, detail: decision.detail, state: anomaly.state }, 'notification suppressed');
      return { outcome: 'suppressed', reason: decision.reason };
    }

    const notice: Notice = {
      noticeId: `${fp}:${command.eventId}`,
      fingerprint: fp,
      kind: decision.kind,
      flapEnded: decision.flapEnded,
      severity: decision.severity,
      anomaly,
      createdAt: now,
      ...(command.correlationId ? { correlationId: command.correlationId } : {}),
    };
    const hold = holdsPaging(notice.kind, notice.severity, this.settings.quiet, now);
    const plan = planDelivery(notice.kind, this.channels.targets, record?.channels ?? {}, hold);
    const saved = await this.store.save({
      fingerprint: fp,
      version: record?.version ?? 0,
      memory: decision.memory,
      anomaly,
      notice,
      outbox: { noticeId: notice.noticeId, eventId: command.eventId, status: plan, leaseOwner: this.deliverer.owner, leaseUntil: now + this.deliverer.leaseMs, createdAt: now },
      channels: record?.channels ?? {},
    });

    const superseded = [...keysWithStatus(record?.outbox, 'held'), ...keysWithStatus(record?.outbox, 'pending')];
    if (record?.notice && superseded.length > 0) {
      await this.log.noticeSuperseded({ notice: record.notice, keys: superseded, by: notice.noticeId, at: now });
    }
    const held = keysWithStatus(saved.outbox, 'held');
    if (held.length > 0) this.metrics.countSuppressed('quiet_hours');
    await this.log.noticeDecided(notice, plan, command.eventId);
    log.info({ kind: notice.kind, severity: notice.severity, state: anomaly.state, held }, held.length > 0 ? 'notice decided; paging held for quiet hours' : 'notice decided');

    await this.deliverer.deliverPending(saved, log);
    return { outcome: 'notified', kind: notice.kind, noticeId: notice.noticeId, held };
  }
}
