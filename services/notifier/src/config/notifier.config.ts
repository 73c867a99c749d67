import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { ConfigError, alertmanagerSettings, commonSettings, defaultSyslogPort, groupIdSetting, jsonSetting, kafkaSettings, mongoSettings, parseConfig, settingsFileFor, syslogSettings, withDefaultGroupIds, type WithGroupIds } from '@costwatch/config';
import { severities } from '@costwatch/contracts';
import { isValidTimeZone, parseQuietDays, parseQuietHours } from '../domain/quiet-hours';
import { parseMatcher, type Silence } from '../domain/silence';
import { durationSetting } from './duration';
import { SYSLOG_FACILITIES } from '../infra/rfc5424';
import { reportPeriodKinds } from '../reports/report-period';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const silenceEntry = z
  .object({
    matchers: z.array(z.string()).min(1, 'a silence needs at least one matcher'),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    comment: z.string().optional(),
  })
  // A typo of an optional key (`endAt`) would otherwise make a silence permanent without a word.
  .strict()
  .refine((s) => s.startsAt === undefined || s.endsAt === undefined || Date.parse(s.startsAt) < Date.parse(s.endsAt), {
    message: 'startsAt must be before endsAt',
    path: ['endsAt'],
  });

/**
 * `NOTIFY_SILENCES`: a JSON array of silences, e.g.
 * `[{"matchers":["project=sandbox","service=~\"gpu-.*\""],"endsAt":"2026-12-01T00:00:00Z","comment":"load test"}]`.
 * Without startsAt/endsAt a silence is a permanent mute.
 */
const silencesSetting = jsonSetting('a JSON array of silences', '[]')
  .pipe(z.array(silenceEntry))
  .transform((entries, ctx): Silence[] =>
    entries.map((entry, index) => ({
      matchers: entry.matchers.flatMap((text, m) => {
        try {
          return [parseMatcher(text)];
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error), path: [index, 'matchers', m] });
          return [];
        }
      }),
      ...(entry.startsAt ? { startsAt: Date.parse(entry.startsAt) } : {}),
      ...(entry.endsAt ? { endsAt: Date.parse(entry.endsAt) } : {}),
      ...(entry.comment ? { comment: entry.comment } : {}),
    })),
  );

function parsedBy<T>(parse: (text: string) => T) {
  return z.string().transform((text, ctx) => {
    try {
      return parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });
}

export const notifierConfigSchema = z.object({
  ...commonSettings,
  ...kafkaSettings,
  ...mongoSettings,
  ...alertmanagerSettings,
  ...syslogSettings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8084),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-notifier'),
  /**
   * Prefix of the consumer groups (one per topic: `<prefix>.anomalies`, `<prefix>.daily-totals`);
   * default `<KAFKA_TOPIC_PREFIX>costwatch-notifier`.
   */
  KAFKA_GROUP_ID: groupIdSetting,
  // Events of one series share a partition, so partitions can be handled side by side.
  CONSUMER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(6),
  SYSLOG_FACILITY: z.enum(SYSLOG_FACILITIES).default('local0'),

  /** Within this interval an unchanged firing anomaly is not announced again. */
  NOTIFY_REPEAT_INTERVAL: durationSetting('4h', { min: '1s' }),
  /** State changes are counted over this window; a flapping series is stable after a whole window without one. */
  NOTIFY_FLAP_WINDOW: durationSetting('6h', { min: '1s' }),
  /** State changes within the window that make a series flapping. */
  NOTIFY_FLAP_THRESHOLD: z.coerce.number().int().min(2).max(100).default(4),
  NOTIFY_SILENCES: silencesSetting,
  /** e.g. `22:00-07:00` (wraps midnight), in NOTIFY_TIMEZONE. */
  NOTIFY_QUIET_HOURS: parsedBy(parseQuietHours).optional(),
  /** e.g. `Sat,Sun`: whole local days that are quiet. */
  NOTIFY_QUIET_DAYS: parsedBy(parseQuietDays).optional(),
  NOTIFY_TIMEZONE: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, { message: 'must be an IANA time zone such as "Asia/Seoul" or "UTC"' }),
  /** Notices at or above this severity page even during quiet hours (unset: none do). */
  NOTIFY_QUIET_BYPASS_SEVERITY: z.enum(severities).optional(),
  /** Attempts per destination per delivery (with backoff) before the message is redelivered by Kafka. */
  NOTIFY_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  NOTIFY_DELIVERY_TIMEOUT: durationSetting('5s', { min: '100ms', max: '1m' }),

  /**
   * Firing alerts are re-sent this often; each carries `endsAt` four intervals ahead, so
   * Alertmanager resolves them on its own if the notifier stops.
   */
  ALERTMANAGER_RESEND_INTERVAL: durationSetting('1m', { min: '1s', max: '1h' }),
  /** Generic JSON webhook (a secret: never logged). */
  WEBHOOK_URL: httpUrl.optional(),
  /** Slack incoming webhook (a secret: never logged). */
  SLACK_WEBHOOK_URL: httpUrl.optional(),
  /** Grafana dashboard; `var-domain`, `var-project`, `var-service` are added to its query. */
  DASHBOARD_URL: httpUrl.optional(),
  RUNBOOK_URL: httpUrl.optional(),

  /** Cron expression (UTC) for writing cost reports inside the service, e.g. `30 4 * * *` (after yesterday can close, docs/reports.md); unset: no scheduled reports. */
  REPORT_SCHEDULE: z
    .string()
    .refine((text) => validateCronExpression(text).valid, { message: 'must be a cron expression such as "30 3 * * *"' })
    .optional(),
  /** The periods each scheduled run writes (the last complete one of each), comma-separated. */
  REPORT_PERIODS: z
    .string()
    .default('daily')
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(reportPeriodKinds)).min(1)),
  /** Where scheduled reports are written (created if missing). */
  REPORT_DIR: z.string().min(1).default('reports'),
});

export type NotifierConfig = WithGroupIds<Omit<z.output<typeof notifierConfigSchema>, 'SYSLOG_PORT'> & { SYSLOG_PORT: number }, 'KAFKA_GROUP_ID'>;

/** The settings file's `notifier` section, read by the service and the `report` CLI. */
export const notifierSettingsFile = (env: NodeJS.ProcessEnv, configFlag?: string) =>
  settingsFileFor({ section: 'notifier', sectionKeys: Object.keys(notifierConfigSchema.shape), env, configFlag });

/** `COSTWATCH_CONFIG` names the settings file, if any (its `common` and `notifier` sections). */
export const loadNotifierConfig = (env: NodeJS.ProcessEnv = process.env): NotifierConfig => {
  const config = parseConfig(notifierConfigSchema, env, notifierSettingsFile(env));
  if ((config.SYSLOG_TLS_CERT === undefined) !== (config.SYSLOG_TLS_KEY === undefined)) throw new ConfigError([{ setting: config.SYSLOG_TLS_CERT ? 'SYSLOG_TLS_KEY' : 'SYSLOG_TLS_CERT', problem: 'SYSLOG_TLS_CERT and SYSLOG_TLS_KEY go together' }]);
  return withDefaultGroupIds({ ...config, SYSLOG_PORT: config.SYSLOG_PORT ?? defaultSyslogPort(config.SYSLOG_PROTOCOL) }, { KAFKA_GROUP_ID: 'costwatch-notifier' });
};
