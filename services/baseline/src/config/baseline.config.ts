import { z } from 'zod';
import { commaList, commonSettings, groupIdSetting, kafkaSettings, mongoSettings, parseConfig, recordSettings, s3Settings, settingsFileFor, withDefaultGroupIds, type WithGroupIds } from '@costwatch/config';

export const baselineRoles = ['aggregator', 'archiver'] as const;
export type BaselineRole = (typeof baselineRoles)[number];

export const baselineConfigSchema = z.object({
  ...commonSettings,
  ...kafkaSettings,
  ...mongoSettings,
  ...s3Settings,
  ...recordSettings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8082),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-baseline'),
  /**
   * Which consumer groups this process runs: both by default; one each in two processes
   * (or Deployments) gives the aggregator — on the path to every alert — a thread of its own.
   */
  BASELINE_ROLES: commaList(z.enum(baselineRoles))
    .default(['aggregator', 'archiver'])
    .transform((roles) => [...new Set(roles)]),
  /** Default `<KAFKA_TOPIC_PREFIX>costwatch-aggregator`. */
  AGGREGATOR_GROUP_ID: groupIdSetting,
  /** Default `<KAFKA_TOPIC_PREFIX>costwatch-archiver`. */
  ARCHIVER_GROUP_ID: groupIdSetting,
  /** Records handled per database round trip. */
  CONSUMER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** Partitions handled at once per consumer group (they hold disjoint series). */
  CONSUMER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(3),
  /** Event-time hours after midnight before a day closes (late records within it still count). */
  DAY_CLOSE_GRACE_HOURS: z.coerce.number().min(0).max(72).default(2),
  BASELINE_WINDOW_DAYS: z.coerce.number().int().min(7).max(90).default(30),
  /**
   * Also store every accepted record in MongoDB's billing_records (one more write per record).
   * Off by default: S3 holds every full record, and each day document holds its records' id,
   * amount, collectedAt, source and hour.
   */
  /**
   * How long the aggregator keeps changed day documents in memory before writing them (each
   * once, however often it changed); a batch's offsets are committed after the write, so a
   * crash redelivers what was not written. 0 writes them with every batch.
   */
  AGGREGATOR_WRITE_BEHIND_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Unwritten day documents that force a write before AGGREGATOR_WRITE_BEHIND_MS is up (bounds memory). */
  AGGREGATOR_WRITE_BEHIND_MAX_DOCUMENTS: z.coerce.number().int().min(1).max(200_000).default(20_000),
  /** Day documents the aggregator keeps in memory; at least the number of series with data today (else batches read them back). */
  AGGREGATOR_CACHE_DOCUMENTS: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  AGGREGATOR_STORE_RECORDS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

const groupNames = { AGGREGATOR_GROUP_ID: 'costwatch-aggregator', ARCHIVER_GROUP_ID: 'costwatch-archiver' } as const;

export type BaselineConfig = WithGroupIds<z.output<typeof baselineConfigSchema>, keyof typeof groupNames>;

/** `COSTWATCH_CONFIG` names the settings file, if any (its `common` and `baseline` sections). */
export const loadBaselineConfig = (env: NodeJS.ProcessEnv = process.env): BaselineConfig =>
  withDefaultGroupIds(parseConfig(baselineConfigSchema, env, settingsFileFor({ section: 'baseline', sectionKeys: Object.keys(baselineConfigSchema.shape), env })), groupNames);
