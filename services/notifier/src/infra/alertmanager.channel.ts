import { createHash } from 'node:crypto';
import type { AlertRefresher, DeliveryContext, NotificationChannel } from '../application/ports';
import { alertLabels, contributorsText, type AlertLabels } from '../domain/alert-identity';
import type { ChannelTarget } from '../domain/delivery-plan';
import { noticeDescription, noticeSummary } from '../domain/describe-notice';
import type { Notice } from '../domain/notice';
import type { Severity } from '../domain/severity';
import { alertLinks, type LinkSettings } from './alert-links';
import { postJson } from './post-json';

/** A `postableAlert` of the Alertmanager API v2. */
export interface PostableAlert {
  labels: AlertLabels;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

export interface AlertmanagerSettings extends LinkSettings {
  url: string;
  resendIntervalMs: number;
  timeoutMs: number;
}

/** A firing alert's `endsAt` is this many resend intervals ahead: missing a few re-sends does not resolve it. */
export const ENDS_AFTER_RESENDS = 4;

/** Alerts per request when re-sending (keeps request bodies small with thousands of firing alerts). */
const REFRESH_BATCH = 500;

/** A stable, MongoDB-safe destination key per Alertmanager URL. */
export function alertmanagerKey(url: string): string {
  return `am_${createHash('sha256').update(new URL(url).toString()).digest('hex').slice(0, 12)}`;
}

function fixed(value: number | null): string {
  return value === null ? '' : String(value);
}

export function alertAnnotations(notice: Notice, links: LinkSettings): Record<string, string> {
  const { anomaly } = notice;
  const { dashboard, runbook } = alertLinks(anomaly, links);
  const annotations: Record<string, string> = {
    summary: noticeSummary(notice),
    description: noticeDescription(notice),
    service_name: anomaly.series.serviceName,
    currency: anomaly.series.currency,
    observed: anomaly.observed,
    expected: anomaly.expected,
    z: fixed(anomaly.z),
    ratio: fixed(anomaly.ratio),
    anomaly_id: anomaly.anomalyId,
    window_start: anomaly.window.start,
    window_end: anomaly.window.end,
    notice_kind: notice.kind,
    flapping: notice.kind === 'flapping' ? 'true' : 'false',
    granularity: anomaly.granularity,
  };
  const contributors = contributorsText(anomaly);
  if (contributors) annotations['top_contributors'] = contributors;
  if (dashboard) annotations['dashboard_url'] = dashboard;
  if (runbook) annotations['runbook_url'] = runbook;
  return annotations;
}

/**
 * The alerts to post for a notice. Firing: the alert with `endsAt` a few resend intervals
 * ahead (plus, after a severity change, the old-severity alert ended now, since severity
 * is a label and so part of Alertmanager's identity). Resolved: `endsAt` = now.
 */
export function alertsFor(notice: Notice, previous: DeliveryContext['previous'], now: number, settings: AlertmanagerSettings): PostableAlert[] {
  const { anomaly } = notice;
  const startsAt = new Date(Math.min(Date.parse(anomaly.window.start), now)).toISOString();
  const annotations = alertAnnotations(notice, settings);
  const generatorURL = annotations['dashboard_url'];
  const alert = (severity: Severity, endsAt: number): PostableAlert => ({
    labels: alertLabels(anomaly, severity),
    annotations,
    startsAt,
    endsAt: new Date(Math.max(endsAt, Date.parse(startsAt))).toISOString(),
    ...(generatorURL ? { generatorURL } : {}),
  });
  if (notice.kind === 'resolved') return [alert(previous?.severity ?? notice.severity, now)];
  const firing = alert(notice.severity, now + ENDS_AFTER_RESENDS * settings.resendIntervalMs);
  return previous?.state === 'firing' && previous.severity !== notice.severity ? [alert(previous.severity, now), firing] : [firing];
}

/** One Alertmanager instance (every instance of an HA pair gets every alert). */
export class AlertmanagerChannel implements NotificationChannel, AlertRefresher {
  readonly target: ChannelTarget;
  private readonly endpoint: string;

  constructor(private readonly settings: AlertmanagerSettings) {
    this.target = { key: alertmanagerKey(settings.url), kind: 'alertmanager' };
    const base = settings.url.endsWith('/') ? settings.url : `${settings.url}/`;
    this.endpoint = new URL('api/v2/alerts', base).toString();
  }

  deliver(notice: Notice, context: DeliveryContext): Promise<void> {
    return this.post(alertsFor(notice, context.previous, context.now, this.settings));
  }

  async refresh(alerts: ReadonlyArray<{ notice: Notice; severity: Severity }>, now: number): Promise<void> {
    const postable = alerts.flatMap(({ notice, severity }) =>
      alertsFor({ ...notice, severity }, { noticeId: notice.noticeId, state: 'firing', severity, at: now }, now, this.settings),
    );
    for (let start = 0; start < postable.length; start += REFRESH_BATCH) await this.post(postable.slice(start, start + REFRESH_BATCH));
  }

  private post(alerts: PostableAlert[]): Promise<void> {
    return postJson(this.endpoint, alerts, this.settings.timeoutMs);
  }
}
