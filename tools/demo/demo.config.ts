import { z } from 'zod';
import { groupIdSetting, kafkaSettings, mongoSettings, parseConfig, withDefaultGroupIds, type WithGroupIds } from '@costwatch/config';

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
  COSTWATCH_CACHE_DIR: z.string().min(1).optional(),
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
