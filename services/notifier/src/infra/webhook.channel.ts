import type { DeliveryContext, NotificationChannel } from '../application/ports';
import { alertLabels } from '../domain/alert-identity';
import type { ChannelTarget } from '../domain/delivery-plan';
import { noticeDescription, noticeSummary } from '../domain/describe-notice';
import { noticeState, type Notice } from '../domain/notice';
import { alertLinks, type LinkSettings } from './alert-links';
import { postJson } from './post-json';

export interface WebhookSettings extends LinkSettings {
  /** A secret: it is never logged and never part of an error message. */
  url: string;
  timeoutMs: number;
}

/** The generic webhook body (version 1). `noticeId` is also sent as `Idempotency-Key`, so receivers can drop retries. */
export function webhookPayload(notice: Notice, links: LinkSettings, now: number) {
  return {
    version: '1',
    source: 'costwatch',
    noticeId: notice.noticeId,
    fingerprint: notice.fingerprint,
    kind: notice.kind,
    status: noticeState(notice.kind),
    severity: notice.severity,
    flapEnded: notice.flapEnded,
    summary: noticeSummary(notice),
    description: noticeDescription(notice),
    labels: alertLabels(notice.anomaly, notice.severity),
    links: alertLinks(notice.anomaly, links),
    anomaly: notice.anomaly,
    correlationId: notice.correlationId ?? null,
    sentAt: new Date(now).toISOString(),
  };
}

export class WebhookChannel implements NotificationChannel {
  readonly target: ChannelTarget = { key: 'webhook', kind: 'webhook' };

  constructor(private readonly settings: WebhookSettings) {}

  deliver(notice: Notice, context: DeliveryContext): Promise<void> {
    return postJson(this.settings.url, webhookPayload(notice, this.settings, context.now), this.settings.timeoutMs, { 'idempotency-key': notice.noticeId });
  }
}
