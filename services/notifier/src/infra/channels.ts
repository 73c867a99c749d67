import type { RetryPolicy } from '@costwatch/kafka';
import type { NotifierMetrics } from '../application/notifier-metrics';
import type { AlertRefresher, Channels, DailyTotalSink, NotificationChannel } from '../application/ports';
import type { ChannelTarget } from '../domain/delivery-plan';
import type { LinkSettings } from './alert-links';
import { AlertmanagerChannel } from './alertmanager.channel';
import { InstrumentedChannel, InstrumentedDailyTotalSink, InstrumentedRefresher } from './instrumented-delivery';
import { SyslogChannel, type SyslogIdentity } from './syslog.channel';
import type { SyslogTransport } from './syslog-transport';
import { SlackChannel } from './slack.channel';
import { WebhookChannel } from './webhook.channel';

export interface ChannelSettings {
  syslog: { transport: SyslogTransport; identity: SyslogIdentity };
  alertmanagerUrls: readonly string[];
  resendIntervalMs: number;
  webhookUrl?: string;
  slackWebhookUrl?: string;
  links: LinkSettings;
  timeoutMs: number;
  retry: RetryPolicy;
}

/** The configured destinations, each wrapped with retries and metrics. */
export class ConfiguredChannels implements Channels {
  readonly targets: readonly ChannelTarget[];
  readonly alertmanagers: readonly AlertRefresher[];
  readonly dailyTotals: DailyTotalSink;
  private readonly byKey: ReadonlyMap<string, NotificationChannel>;

  constructor(settings: ChannelSettings, metrics: NotifierMetrics) {
    const syslog = new SyslogChannel(settings.syslog.transport, settings.syslog.identity);
    const alertmanagers = [...new Set(settings.alertmanagerUrls)].map(
      (url) => new AlertmanagerChannel({ url, resendIntervalMs: settings.resendIntervalMs, timeoutMs: settings.timeoutMs, ...settings.links }),
    );
    const raw: NotificationChannel[] = [syslog, ...alertmanagers];
    if (settings.webhookUrl) raw.push(new WebhookChannel({ url: settings.webhookUrl, timeoutMs: settings.timeoutMs, ...settings.links }));
    if (settings.slackWebhookUrl) raw.push(new SlackChannel({ url: settings.slackWebhookUrl, timeoutMs: settings.timeoutMs, ...settings.links }));

    const wrapped = raw.map((channel) => new InstrumentedChannel(channel, metrics, settings.retry));
    this.byKey = new Map(wrapped.map((channel) => [channel.target.key, channel]));
    this.targets = wrapped.map((channel) => channel.target);
    this.alertmanagers = alertmanagers.map((am) => new InstrumentedRefresher(am, metrics, settings.retry));
    this.dailyTotals = new InstrumentedDailyTotalSink(syslog, metrics, settings.retry);
  }

  get(key: string): NotificationChannel | undefined {
    return this.byKey.get(key);
  }
}
