import type { DailyTotal } from '@costwatch/contracts';
import type { ChannelMemory, ChannelTarget } from '../domain/delivery-plan';
import type { Notice, SuppressionReason } from '../domain/notice';
import type { Severity } from '../domain/severity';
import type { OutboxStatus, SeriesRecord } from './series-record';

/** Epoch milliseconds now; injected so tests can stand inside or outside quiet hours. */
export type Clock = () => number;

/** The `notification_state` collection: one record per alert stream, written with compare-and-set. */
export interface SeriesStateStore {
  get(fingerprint: string): Promise<SeriesRecord | undefined>;
  /**
   * Writes `record` if the stored version is still `record.version` (0: not stored yet) and
   * returns it with the new version; throws ConcurrentUpdateError otherwise.
   */
  save(record: SeriesRecord): Promise<SeriesRecord>;
  /** Records the periodic sweep must look at: firing in Alertmanager, unfinished delivery, or flapping. */
  findForSweep(): AsyncIterable<SeriesRecord>;
}

/** The `notification_log` collection: the audit trail, written idempotently (deterministic ids). */
export interface NotificationLog {
  noticeDecided(notice: Notice, plan: Readonly<Record<string, OutboxStatus>>, eventId: string | undefined): Promise<void>;
  noticeSuppressed(entry: { fingerprint: string; eventId: string; reason: SuppressionReason; detail: string; at: number }): Promise<void>;
  noticeDelivered(entry: { notice: Notice; key: string; channel: string; at: number }): Promise<void>;
  noticeSuperseded(entry: { notice: Notice; keys: readonly string[]; by: string; at: number }): Promise<void>;
  /**
   * Claims a daily-total line for `lease.owner` until `lease.until`: `claimed` means "write
   * it" (new, or still pending from a failed try with no live lease on it); `busy`, another
   * writer holds it now; `delivered`, it is written.
   */
  claimDailyTotal(id: string, total: DailyTotal, eventId: string, lease: DeliveryLease): Promise<'claimed' | 'busy' | 'delivered'>;
  dailyTotalDelivered(id: string, at: number): Promise<void>;
  /** A failed try gives the line back at once (it stays pending), so a redelivery or the sweep can take it. */
  releaseDailyTotal(id: string, owner: string): Promise<void>;
  /** Daily-total lines still pending and not leased at `now`, oldest first: the sweep writes them. */
  pendingDailyTotals(now: number): AsyncIterable<PendingDailyTotal>;
}

export interface DeliveryLease {
  owner: string;
  now: number;
  until: number;
}

export interface PendingDailyTotal {
  id: string;
  total: DailyTotal;
  eventId: string;
}

export interface DeliveryContext {
  /** What this destination was last given for the alert stream (an Alertmanager escalation ends the old-severity alert). */
  previous: ChannelMemory | undefined;
  now: number;
}

/** One destination. Implementations retry with backoff and count; a rejection means "gave up". */
export interface NotificationChannel {
  readonly target: ChannelTarget;
  deliver(notice: Notice, context: DeliveryContext): Promise<void>;
}

/** An Alertmanager instance: firing alerts are re-sent periodically so they do not expire. */
export interface AlertRefresher {
  readonly target: ChannelTarget;
  refresh(alerts: ReadonlyArray<{ notice: Notice; severity: Severity }>, now: number): Promise<void>;
}

export interface DailyTotalSink {
  deliverDailyTotal(total: DailyTotal, context: { eventId: string; correlationId?: string }): Promise<void>;
}

/** The configured destinations. */
export interface Channels {
  readonly targets: readonly ChannelTarget[];
  get(key: string): NotificationChannel | undefined;
  readonly alertmanagers: readonly AlertRefresher[];
  readonly dailyTotals: DailyTotalSink;
}
