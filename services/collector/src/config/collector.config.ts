import { z } from 'zod';
import { validateCronExpression } from 'cron';
import { commonSettings, jsonSetting, kafkaSettings, parseConfig, recordSettings, s3Settings, settingsFileFor } from '@costwatch/config';
import { awsAccountSchema } from '../sources/aws-cost-explorer/aws-cost-explorer-options';

const cronExpression = z.string().refine((text) => validateCronExpression(text).valid, { message: 'must be a cron expression such as "30 0 * * *"' });

const collectorSettings = {
  ...commonSettings,
  ...kafkaSettings,
  ...recordSettings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8081),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-collector'),
  /** Partitions of billing.records.v1 when the collector creates it. */
  RECORDS_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
  /** Sources collected on schedule, comma-separated. */
  COLLECTOR_SOURCES: z
    .string()
    .default('synthetic')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['synthetic', 'kakaocloud', 'aws-cost-explorer'])).min(1)),
  /** Collect on schedule inside the service (hourly and daily); off for CLI-driven backfills. */
  SCHEDULE_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Cron expressions in UTC (five fields, or six with seconds first); the hourly job collects the previous hour, the daily job yesterday. */
  HOURLY_CRON: cronExpression.default('5 * * * *'),
  DAILY_CRON: cronExpression.default('30 0 * * *'),
  SYNTHETIC_SEED: z.coerce.number().int().default(42),
  SYNTHETIC_START: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').default('2026-09-01'),
  SYNTHETIC_DAYS: z.coerce.number().int().min(1).max(3650).default(120),
  SYNTHETIC_DOMAINS: z.coerce.number().int().min(1).max(100).default(4),
  SYNTHETIC_PROJECTS_PER_DOMAIN: z.coerce.number().int().min(1).max(100).default(5),
  SYNTHETIC_SERVICES_PER_PROJECT: z.coerce.number().int().min(1).max(12).default(6),
  SYNTHETIC_ANOMALIES: z.coerce.number().int().min(0).max(1000).default(12),
  KAKAOCLOUD_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  KAKAOCLOUD_CREDENTIAL_ID: z.string().min(1).optional(),
  KAKAOCLOUD_CREDENTIAL_SECRET: z.string().min(1).optional(),
  /** JSON array of {accountId, roleArn, project?, externalId?}; the base credentials come from the AWS default chain. */
  AWS_CE_ACCOUNTS: jsonSetting('a JSON array of {accountId, roleArn, project?, externalId?}')
    .pipe(z.array(awsAccountSchema).min(1))
    .optional(),
  AWS_CE_METRIC: z.enum(['UnblendedCost', 'AmortizedCost', 'NetUnblendedCost', 'NetAmortizedCost', 'BlendedCost']).default('UnblendedCost'),
  AWS_CE_GROUP_BY_LINKED_ACCOUNT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
};

const { HTTP_PORT: _port, HTTP_HOST: _host, ...cliSettings } = collectorSettings;

function requireSourceSettings(config: { COLLECTOR_SOURCES: string[] } & Record<string, unknown>, ctx: z.RefinementCtx): void {
  // A scheduled source without its settings stops startup, naming what is missing.
  const required: Record<string, string[]> = {
    kakaocloud: ['KAKAOCLOUD_BASE_URL', 'KAKAOCLOUD_CREDENTIAL_ID', 'KAKAOCLOUD_CREDENTIAL_SECRET'],
    'aws-cost-explorer': ['AWS_CE_ACCOUNTS'],
  };
  for (const source of config.COLLECTOR_SOURCES) {
    for (const setting of required[source] ?? []) {
      if (config[setting] === undefined) ctx.addIssue({ code: 'custom', path: [setting], message: `is required when COLLECTOR_SOURCES includes ${source}` });
    }
  }
}

export const collectorConfigSchema = z.object(collectorSettings).superRefine(requireSourceSettings);
/** The CLI's settings: the service's without the HTTP listener. */
export const collectorCliConfigSchema = z.object(cliSettings).superRefine(requireSourceSettings);

/** Replay from the S3 archive: the CLI's Kafka settings plus the archive's bucket. */
export const replayArchiveConfigSchema = z.object({ ...cliSettings, ...s3Settings });

export type CollectorConfig = z.output<typeof collectorConfigSchema>;

export type CollectorCliConfig = z.output<typeof collectorCliConfigSchema>;

/** What the `collector` section of a settings file may hold: the service's and every CLI command's settings. */
const sectionKeys = [...new Set([...Object.keys(collectorSettings), ...Object.keys(s3Settings)])];
const settingsFile = (env: NodeJS.ProcessEnv, configFlag: string | undefined) => settingsFileFor({ section: 'collector', sectionKeys, env, configFlag });

/** `configFlag` is a CLI's `--config`; otherwise `COSTWATCH_CONFIG` names the settings file, if any. */
export const loadCollectorConfig = (env: NodeJS.ProcessEnv = process.env, configFlag?: string): CollectorConfig => parseConfig(collectorConfigSchema, env, settingsFile(env, configFlag));
export const loadCollectorCliConfig = (env: NodeJS.ProcessEnv = process.env, configFlag?: string): CollectorCliConfig =>
  parseConfig(collectorCliConfigSchema, env, settingsFile(env, configFlag));

export type ReplayArchiveConfig = z.output<typeof replayArchiveConfigSchema>;

export const loadReplayArchiveConfig = (env: NodeJS.ProcessEnv = process.env, configFlag?: string): ReplayArchiveConfig =>
  parseConfig(replayArchiveConfigSchema, env, settingsFile(env, configFlag));
