import { z } from 'zod';
import { commonSettings, kafkaSettings, mongoSettings, parseConfig } from '@costwatch/config';

export const detectorConfigSchema = z.object({
  ...commonSettings,
  ...kafkaSettings,
  ...mongoSettings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8083),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-detector'),
});

export type DetectorConfig = z.output<typeof detectorConfigSchema>;

export const loadDetectorConfig = (env: NodeJS.ProcessEnv = process.env): DetectorConfig => parseConfig(detectorConfigSchema, env);
