import { z } from 'zod';
import { groupIdSetting, kafkaSettings, mongoSettings, parseConfig, port, withDefaultGroupIds, type WithGroupIds } from '@costwatch/config';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * The demo's settings: the local stack's endpoints (`eval "$(node tools/infra/infra.mjs env)"`),
 * the consumer groups it waits for, and the synthetic history, read as the collector reads it.
 */
export const demoConfigSchema = z.object({
  KAFKA_BROKERS: kafkaSettings.KAFKA_BROKERS,
  KAFKA_TOPIC_PREFIX: kafkaSettings.KAFKA_TOPIC_PREFIX,
  ...mongoSettings,
  ALERTMANAGER_URL: z.url({ protocol: /^https?$/ }),
  SYSLOG_FILE: z.string().min(1),
  // Where the notifier sends syslog (as scripts/services.mjs gives it), to tell whether it is up.
  SYSLOG_HOST: z.string().min(1).default('127.0.0.1'),
  SYSLOG_PORT: port.default(39514),
  SYSLOG_PROTOCOL: z.enum(['udp', 'tcp', 'tls']).default('tcp'),
  COSTWATCH_CACHE_DIR: z.string().min(1).optional(),
  COSTWATCH_RUN_DIR: z.string().min(1).optional(),
  /** The services' first HTTP port, as scripts/services.mjs takes it (collector, then baseline, detector, notifier). */
  COSTWATCH_SERVICES_PORT_BASE: z.coerce.number().int().min(1).max(65_532).default(8081),
  /** How long the demo waits for the pipeline to catch up before it summarises what it has. */
  DEMO_SETTLE_TIMEOUT_S: z.coerce.number().int().min(10).default(1_200),
  // Unset, each is `<KAFKA_TOPIC_PREFIX>costwatch-…`, as the services derive them.
  AGGREGATOR_GROUP_ID: groupIdSetting,
  ARCHIVER_GROUP_ID: groupIdSetting,
  DETECTOR_GROUP_ID: groupIdSetting,
  KAFKA_GROUP_ID: groupIdSetting,
  DETECTION_PRESET: z.string().min(1).default('billing'),
  SYNTHETIC_SEED: z.coerce.number().int().default(42),
  SYNTHETIC_START: day.default('2026-09-01'),
  SYNTHETIC_DAYS: count(60),
  SYNTHETIC_DOMAINS: count(4),
  SYNTHETIC_PROJECTS_PER_DOMAIN: count(5),
  SYNTHETIC_SERVICES_PER_PROJECT: count(6),
  SYNTHETIC_ANOMALIES: z.coerce.number().int().min(0).default(12),
});

const groupNames = {
  AGGREGATOR_GROUP_ID: 'costwatch-aggregator',
  ARCHIVER_GROUP_ID: 'costwatch-archiver',
  DETECTOR_GROUP_ID: 'costwatch-detector',
  KAFKA_GROUP_ID: 'costwatch-notifier',
} as const;

export type DemoConfig = WithGroupIds<z.output<typeof demoConfigSchema>, keyof typeof groupNames>;

export const loadDemoConfig = (env: NodeJS.ProcessEnv = process.env): DemoConfig => withDefaultGroupIds(parseConfig(demoConfigSchema, env), groupNames);
