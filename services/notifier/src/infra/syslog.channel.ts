import type { DailyTotal } from '@costwatch/contracts';
import type { DailyTotalSink, DeliveryContext, NotificationChannel } from '../application/ports';
import { contributorsText, incidentOf } from '../domain/alert-identity';
import type { ChannelTarget } from '../domain/delivery-plan';
import { noticeSummary } from '../domain/describe-notice';
import type { Notice } from '../domain/notice';
import type { Severity } from '../domain/severity';
import { formatRfc5424, type SyslogFacility, type SyslogMessage, type SyslogSeverityName } from './rfc5424';
import type { SyslogTransport } from './syslog-transport';

/** Keywords log alert policies match on (e.g. KakaoCloud Alert Center: service keyword AND BILLING_ANOMALY). */
export const SyslogKeywords = {
  anomaly: 'BILLING_ANOMALY',
  /** Deliberately not containing BILLING_ANOMALY, so a keyword policy does not page on a recovery. */
  resolved: 'BILLING_RESOLVED',
  dailyTotal: 'BILLING_DAILY_TOTAL',
} as const;

/** Structured-data id: a name plus 32473, the private enterprise number reserved for documentation (RFC 5612). */
export const SD_ID = 'costwatch@32473';

export interface SyslogIdentity {
  facility: SyslogFacility;
  hostname: string;
  appName: string;
  procId: string;
}

const SYSLOG_SEVERITY: Readonly<Record<Severity, SyslogSeverityName>> = { info: 'informational', warning: 'warning', critical: 'critical' };

export function anomalySyslogMessage(notice: Notice, identity: SyslogIdentity, now: number): SyslogMessage {
  const { anomaly } = notice;
  const resolved = notice.kind === 'resolved';
  const keyword = resolved ? SyslogKeywords.resolved : SyslogKeywords.anomaly;
  return {
    ...identity,
    severity: resolved ? 'notice' : SYSLOG_SEVERITY[notice.severity],
    timestamp: new Date(now),
    msgId: keyword,
    structuredData: [
      {
        id: SD_ID,
        params: {
          kind: notice.kind,
          state: anomaly.state,
          severity: notice.severity,
          anomalyId: anomaly.anomalyId,
          domain: anomaly.series.domainId,
          project: anomaly.series.projectId,
          service: anomaly.series.serviceId,
          serviceName: anomaly.series.serviceName,
          rule: anomaly.rule,
          granularity: anomaly.granularity,
          anomalyKind: anomaly.kind,
          incident: incidentOf(anomaly),
          contributors: contributorsText(anomaly) || undefined,
          observed: anomaly.observed,
          expected: anomaly.expected,
          currency: anomaly.series.currency,
          z: anomaly.z,
          ratio: anomaly.ratio,
          windowStart: anomaly.window.start,
          windowEnd: anomaly.window.end,
          flapEnded: notice.flapEnded ? 'true' : undefined,
          noticeId: notice.noticeId,
          correlationId: notice.correlationId,
        },
      },
    ],
    message: `${keyword} ${notice.kind} ${noticeSummary(notice)}`,
  };
}

export function dailyTotalSyslogMessage(total: DailyTotal, identity: SyslogIdentity, now: number, context: { eventId: string; correlationId?: string }): SyslogMessage {
  return {
    ...identity,
    severity: 'informational',
    timestamp: new Date(now),
    msgId: SyslogKeywords.dailyTotal,
    structuredData: [
      {
        id: SD_ID,
        params: {
          date: total.date,
          domain: total.domainId,
          project: total.projectId,
          service: total.serviceId,
          serviceName: total.serviceName,
          amount: total.amount,
          currency: total.currency,
          recordCount: total.recordCount,
          eventId: context.eventId,
          correlationId: context.correlationId,
        },
      },
    ],
    message: `${SyslogKeywords.dailyTotal} ${total.date} ${total.serviceName} (${total.serviceId}) in project ${total.projectId} / domain ${total.domainId}: ${total.amount} ${total.currency} from ${total.recordCount} records`,
  };
}

/** RFC 5424 lines to the configured syslog peer (UDP or TCP). */
export class SyslogChannel implements NotificationChannel, DailyTotalSink {
  readonly target: ChannelTarget = { key: 'syslog', kind: 'syslog' };

  constructor(
    private readonly transport: SyslogTransport,
    private readonly identity: SyslogIdentity,
  ) {}

  deliver(notice: Notice, context: DeliveryContext): Promise<void> {
    return this.transport.send(formatRfc5424(anomalySyslogMessage(notice, this.identity, context.now)));
  }

  deliverDailyTotal(total: DailyTotal, context: { eventId: string; correlationId?: string }): Promise<void> {
    return this.transport.send(formatRfc5424(dailyTotalSyslogMessage(total, this.identity, Date.now(), context)));
  }
}
