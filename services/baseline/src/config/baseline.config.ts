import { z } from 'zod';
import { commonSettings, kafkaSettings, mongoSettings, parseConfig, s3Settings } from '@costwatch/config';

export const baselineConfigSchema = z.object({
  ...commonSettings,
  ...kafkaSettings,
  ...mongoSettings,
  ...s3Settings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8082),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-baseline'),
});

export type BaselineConfig = z.output<typeof baselineConfigSchema>;

export const loadBaselineConfig = (env: NodeJS.ProcessEnv = process.env): BaselineConfig => parseConfig(baselineConfigSchema, env);
