import type { DailyTotal } from '@costwatch/contracts';
import { ConcurrentUpdateError } from '../src/application/errors';
import type { AlertRefresher, Channels, DailyTotalSink, DeliveryContext, DeliveryLease, NotificationChannel, NotificationLog, PendingDailyTotal, SeriesStateStore } from '../src/application/ports';
import type { SeriesRecord } from '../src/application/series-record';
import type { ChannelKind, ChannelTarget } from '../src/domain/delivery-plan';
import type { Notice } from '../src/domain/notice';
import type { Severity } from '../src/domain/severity';

/** notification_state in memory, with the same compare-and-set contract as the repository. */
export class InMemoryStateStore implements SeriesStateStore {
  readonly records = new Map<string, SeriesRecord>();

  get(fingerprint: string): Promise<SeriesRecord | undefined> {
    const record = this.records.get(fingerprint);
    return Promise.resolve(record ? structuredClone(record) : undefined);
  }

  save(record: SeriesRecord): Promise<SeriesRecord> {
    const stored = this.records.get(record.fingerprint);
    if ((stored?.version ?? 0) !== record.version) return Promise.reject(new ConcurrentUpdateError(record.fingerprint));
    const next = { ...structuredClone(record), version: record.version + 1 };
    this.records.set(record.fingerprint, next);
    return Promise.resolve(structuredClone(next));
  }

  async *findForSweep(): AsyncIterable<SeriesRecord> {
    for (const record of [...this.records.values()]) yield await Promise.resolve(structuredClone(record));
  }
}

export class InMemoryLog implements NotificationLog {
  readonly entries = new Map<string, Record<string, unknown>>();
  readonly dailyTotals = new Map<string, { status: 'pending' | 'delivered'; total: DailyTotal; eventId: string; leaseOwner?: string; leaseUntil: number }>();

  private once(id: string, entry: Record<string, unknown>): Promise<void> {
    if (!this.entries.has(id)) this.entries.set(id, entry);
    return Promise.resolve();
  }

  noticeDecided(notice: Notice, plan: Readonly<Record<string, string>>): Promise<void> {
    return this.once(`notice:${notice.noticeId}`, { kind: notice.kind, plan });
  }
  noticeSuppressed(entry: { fingerprint: string; eventId: string; reason: string }): Promise<void> {
    return this.once(`suppressed:${entry.fingerprint}:${entry.eventId}`, { reason: entry.reason });
  }
  noticeDelivered(entry: { notice: Notice; key: string }): Promise<void> {
    return this.once(`delivered:${entry.notice.noticeId}:${entry.key}`, {});
  }
  noticeSuperseded(entry: { notice: Notice; keys: readonly string[] }): Promise<void> {
    return this.once(`superseded:${entry.notice.noticeId}`, { keys: entry.keys });
  }
  claimDailyTotal(id: string, total: DailyTotal, eventId: string, lease: DeliveryLease): Promise<'claimed' | 'busy' | 'delivered'> {
    const entry = this.dailyTotals.get(id);
    if (entry?.status === 'delivered') return Promise.resolve('delivered');
    if (entry && entry.leaseUntil > lease.now && entry.leaseOwner !== lease.owner) return Promise.resolve('busy');
    this.dailyTotals.set(id, { status: 'pending', total, eventId, leaseOwner: lease.owner, leaseUntil: lease.until });
    return Promise.resolve('claimed');
  }
  dailyTotalDelivered(id: string): Promise<void> {
    const entry = this.dailyTotals.get(id);
    if (entry) this.dailyTotals.set(id, { ...entry, status: 'delivered', leaseUntil: 0 });
    return Promise.resolve();
  }
  releaseDailyTotal(id: string, owner: string): Promise<void> {
    const entry = this.dailyTotals.get(id);
    if (entry?.leaseOwner === owner) this.dailyTotals.set(id, { ...entry, leaseUntil: 0 });
    return Promise.resolve();
  }
  async *pendingDailyTotals(now: number): AsyncIterable<PendingDailyTotal> {
    for (const [id, entry] of [...this.dailyTotals]) {
      if (entry.status === 'pending' && entry.leaseUntil <= now) yield await Promise.resolve({ id, total: entry.total, eventId: entry.eventId });
    }
  }
}

export interface Delivery {
  key: string;
  kind: Notice['kind'];
  severity: Severity;
  previous: DeliveryContext['previous'];
}

/** A destination that records what it got and can be told to fail. */
export class FakeChannel implements NotificationChannel, AlertRefresher {
  readonly target: ChannelTarget;
  readonly deliveries: Delivery[] = [];
  readonly refreshes: Array<Array<{ noticeId: string; severity: Severity }>> = [];
  attempts = 0;
  failing = false;

  constructor(key: string, kind: ChannelKind) {
    this.target = { key, kind };
  }

  deliver(notice: Notice, context: DeliveryContext): Promise<void> {
    this.attempts += 1;
    if (this.failing) return Promise.reject(new Error(`${this.target.key} is down`));
    this.deliveries.push({ key: this.target.key, kind: notice.kind, severity: notice.severity, previous: context.previous });
    return Promise.resolve();
  }

  refresh(alerts: ReadonlyArray<{ notice: Notice; severity: Severity }>): Promise<void> {
    if (this.failing) return Promise.reject(new Error(`${this.target.key} is down`));
    this.refreshes.push(alerts.map(({ notice, severity }) => ({ noticeId: notice.noticeId, severity })));
    return Promise.resolve();
  }
}

export class FakeChannels implements Channels {
  readonly dailyTotalLines: DailyTotal[] = [];
  /** Daily-total lines fail while set (syslog down). */
  dailyTotalsFailing = false;
  readonly dailyTotals: DailyTotalSink = {
    deliverDailyTotal: (total) => {
      if (this.dailyTotalsFailing) return Promise.reject(new Error('syslog is down'));
      this.dailyTotalLines.push(total);
      return Promise.resolve();
    },
  };

  constructor(
    private readonly all: readonly NotificationChannel[],
    readonly alertmanagers: readonly AlertRefresher[],
  ) {}

  get targets(): readonly ChannelTarget[] {
    return this.all.map((channel) => channel.target);
  }

  get(key: string): NotificationChannel | undefined {
    return this.all.find((channel) => channel.target.key === key);
  }
}
