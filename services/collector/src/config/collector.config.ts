import { z } from 'zod';
import { commonSettings, kafkaSettings, parseConfig } from '@costwatch/config';

export const collectorConfigSchema = z.object({
  ...commonSettings,
  ...kafkaSettings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8081),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-collector'),
  /** Partitions of billing.records.v1 when the collector creates it. */
  RECORDS_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
});

export type CollectorConfig = z.output<typeof collectorConfigSchema>;

export const loadCollectorConfig = (env: NodeJS.ProcessEnv = process.env): CollectorConfig => parseConfig(collectorConfigSchema, env);
