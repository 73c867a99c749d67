import type { DeliveryContext, NotificationChannel } from '../application/ports';
import type { ChannelTarget } from '../domain/delivery-plan';
import { noticeDescription, noticeSummary } from '../domain/describe-notice';
import type { Notice, NoticeKind } from '../domain/notice';
import { alertLinks, type LinkSettings } from './alert-links';
import { postJson } from './post-json';
import type { WebhookSettings } from './webhook.channel';

const ICON: Readonly<Record<NoticeKind, string>> = {
  firing: ':rotating_light:',
  escalated: ':rotating_light:',
  repeat: ':bell:',
  resolved: ':white_check_mark:',
  flapping: ':warning:',
};

/** Slack's mrkdwn needs `&`, `<` and `>` escaped. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An incoming-webhook message: `text` (the notification fallback) plus Block Kit sections. */
export function slackPayload(notice: Notice, links: LinkSettings) {
  const summary = `${ICON[notice.kind]} ${escapeMrkdwn(noticeSummary(notice))}`;
  const { dashboard, runbook } = alertLinks(notice.anomaly, links);
  const linkText = [dashboard ? `<${dashboard}|Dashboard>` : undefined, runbook ? `<${runbook}|Runbook>` : undefined].filter(Boolean).join(' · ');
  return {
    text: summary,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${summary}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(noticeDescription(notice)) } },
      ...(linkText ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: linkText }] }] : []),
    ],
  };
}

export class SlackChannel implements NotificationChannel {
  readonly target: ChannelTarget = { key: 'slack', kind: 'slack' };

  constructor(private readonly settings: WebhookSettings) {}

  deliver(notice: Notice, _context: DeliveryContext): Promise<void> {
    return postJson(this.settings.url, slackPayload(notice, this.settings), this.settings.timeoutMs);
  }
}
