import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RetryPolicy } from '@costwatch/kafka';
import type { NotificationSettings } from './application/notification-settings';
import { NotifierMetrics } from './application/notifier-metrics';
import { NotifyAnomalyUseCase } from './application/notify-anomaly.use-case';
import { OutboxDeliverer } from './application/outbox-deliverer';
import type { Clock } from './application/ports';
import { PublishDailyTotalUseCase, type DailyTotalRetryReport } from './application/publish-daily-total.use-case';
import { SweepNotificationsUseCase, type SweepReport } from './application/sweep-notifications.use-case';
import type { NotifierConfig } from './config/notifier.config';
import { ConfiguredChannels } from './infra/channels';
import type { LinkSettings } from './infra/alert-links';
import { NotificationLogRepository } from './infra/notification-log.repository';
import { NotificationStateRepository } from './infra/notification-state.repository';
import type { SyslogIdentity } from './infra/syslog.channel';
import { createSyslogTransport, type SyslogTransport, type SyslogTransportOptions } from './infra/syslog-transport';

/** Everything the notifier needs to know, derived once from its config. */
export interface NotifierSettings {
  notification: NotificationSettings;
  syslog: SyslogTransportOptions & { identity: SyslogIdentity };
  alertmanagerUrls: readonly string[];
  resendIntervalMs: number;
  webhookUrl?: string;
  slackWebhookUrl?: string;
  links: LinkSettings;
  timeoutMs: number;
  retry: RetryPolicy;
  /** A delivery lease outlasts one delivery with all its retries. */
  leaseMs: number;
}

/** The TLS files named by the settings, read once (their existence was checked with the config). */
function syslogTls(config: NotifierConfig): NonNullable<SyslogTransportOptions['tls']> {
  const read = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path, 'utf8'));
  const [ca, cert, key] = [read(config.SYSLOG_TLS_CA), read(config.SYSLOG_TLS_CERT), read(config.SYSLOG_TLS_KEY)];
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(config.SYSLOG_TLS_SERVERNAME ? { servername: config.SYSLOG_TLS_SERVERNAME } : {}) };
}

export function notifierSettings(config: NotifierConfig): NotifierSettings {
  const retry: RetryPolicy = { maxAttempts: config.NOTIFY_DELIVERY_ATTEMPTS, initialDelayMs: 250, maxDelayMs: 2_000 };
  return {
    notification: {
      policy: {
        repeatIntervalMs: config.NOTIFY_REPEAT_INTERVAL,
        flap: { windowMs: config.NOTIFY_FLAP_WINDOW, threshold: config.NOTIFY_FLAP_THRESHOLD },
        silences: config.NOTIFY_SILENCES,
      },
      quiet: {
        schedule: {
          timeZone: config.NOTIFY_TIMEZONE,
          days: config.NOTIFY_QUIET_DAYS ?? new Set(),
          ...(config.NOTIFY_QUIET_HOURS ? { hours: config.NOTIFY_QUIET_HOURS } : {}),
        },
        ...(config.NOTIFY_QUIET_BYPASS_SEVERITY ? { bypassSeverity: config.NOTIFY_QUIET_BYPASS_SEVERITY } : {}),
      },
    },
    syslog: {
      host: config.SYSLOG_HOST,
      port: config.SYSLOG_PORT,
      protocol: config.SYSLOG_PROTOCOL,
      timeoutMs: config.NOTIFY_DELIVERY_TIMEOUT,
      ...(config.SYSLOG_PROTOCOL === 'tls' ? { tls: syslogTls(config) } : {}),
      identity: { facility: config.SYSLOG_FACILITY, hostname: hostname(), appName: 'costwatch', procId: String(process.pid) },
    },
    alertmanagerUrls: config.ALERTMANAGER_URLS,
    resendIntervalMs: config.ALERTMANAGER_RESEND_INTERVAL,
    ...(config.WEBHOOK_URL ? { webhookUrl: config.WEBHOOK_URL } : {}),
    ...(config.SLACK_WEBHOOK_URL ? { slackWebhookUrl: config.SLACK_WEBHOOK_URL } : {}),
    links: {
      ...(config.DASHBOARD_URL ? { dashboardUrl: config.DASHBOARD_URL } : {}),
      ...(config.RUNBOOK_URL ? { runbookUrl: config.RUNBOOK_URL } : {}),
    },
    timeoutMs: config.NOTIFY_DELIVERY_TIMEOUT,
    retry,
    leaseMs: retry.maxAttempts * (config.NOTIFY_DELIVERY_TIMEOUT + retry.maxDelayMs) + 5_000,
  };
}

export interface NotifierDependencies {
  db: Db;
  registry: Registry;
  /** Defaults to a transport built from the settings. */
  syslogTransport?: SyslogTransport;
  clock?: Clock;
  /** Defaults to host:pid:random. */
  owner?: string;
  /** Share one metrics object between notifier instances on one registry (tests that "restart"). */
  metrics?: NotifierMetrics;
}

/** The notifier's object graph without Nest: the app module and the integration tests both build it here. */
export class Notifier {
  readonly metrics: NotifierMetrics;
  readonly stateRepository: NotificationStateRepository;
  readonly logRepository: NotificationLogRepository;
  readonly channels: ConfiguredChannels;
  readonly deliverer: OutboxDeliverer;
  readonly notifyAnomaly: NotifyAnomalyUseCase;
  readonly publishDailyTotal: PublishDailyTotalUseCase;
  readonly sweep: SweepNotificationsUseCase;
  private readonly syslogTransport: SyslogTransport;

  constructor(readonly settings: NotifierSettings, deps: NotifierDependencies) {
    const clock = deps.clock ?? Date.now;
    this.metrics = deps.metrics ?? new NotifierMetrics(deps.registry);
    this.syslogTransport = deps.syslogTransport ?? createSyslogTransport(settings.syslog);
    this.stateRepository = new NotificationStateRepository(deps.db);
    this.logRepository = new NotificationLogRepository(deps.db);
    this.channels = new ConfiguredChannels(
      {
        syslog: { transport: this.syslogTransport, identity: settings.syslog.identity },
        alertmanagerUrls: settings.alertmanagerUrls,
        resendIntervalMs: settings.resendIntervalMs,
        ...(settings.webhookUrl ? { webhookUrl: settings.webhookUrl } : {}),
        ...(settings.slackWebhookUrl ? { slackWebhookUrl: settings.slackWebhookUrl } : {}),
        links: settings.links,
        timeoutMs: settings.timeoutMs,
        retry: settings.retry,
      },
      this.metrics,
    );
    const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.deliverer = new OutboxDeliverer(this.stateRepository, this.logRepository, this.channels, clock, { owner, leaseMs: settings.leaseMs });
    const { notification } = settings;
    this.notifyAnomaly = new NotifyAnomalyUseCase(this.stateRepository, this.logRepository, this.channels, this.deliverer, this.metrics, notification, clock);
    this.publishDailyTotal = new PublishDailyTotalUseCase(this.logRepository, this.channels, this.metrics, clock, { owner, leaseMs: settings.leaseMs });
    this.sweep = new SweepNotificationsUseCase(this.stateRepository, this.logRepository, this.channels, this.deliverer, this.metrics, notification, clock);
  }

  /** One periodic pass: the alert streams' sweep, then the daily-total lines syslog has not taken yet. */
  async runSweep(logger: Logger): Promise<SweepReport & { dailyTotals: DailyTotalRetryReport }> {
    const report = await this.sweep.run(logger);
    return { ...report, dailyTotals: await this.publishDailyTotal.retryPending(logger) };
  }

  async ensureIndexes(): Promise<void> {
    await this.stateRepository.ensureIndexes();
    await this.logRepository.ensureIndexes();
  }

  close(): Promise<void> {
    return this.syslogTransport.close();
  }
}
