import type { DailyTotal } from '@costwatch/contracts';
import { ConcurrentUpdateError } from '../src/application/errors';
import type { AlertRefresher, Channels, DailyTotalSink, DeliveryContext, NotificationChannel, NotificationLog, SeriesStateStore } from '../src/application/ports';
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
  private readonly dailyTotals = new Map<string, 'pending' | 'delivered'>();

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
  beginDailyTotal(id: string): Promise<'new' | 'pending' | 'delivered'> {
    const status = this.dailyTotals.get(id);
    if (!status) this.dailyTotals.set(id, 'pending');
    return Promise.resolve(status ?? 'new');
  }
  dailyTotalDelivered(id: string): Promise<void> {
    this.dailyTotals.set(id, 'delivered');
    return Promise.resolve();
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
  readonly dailyTotals: DailyTotalSink = {
    deliverDailyTotal: (total) => {
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
