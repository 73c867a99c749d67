import { z } from 'zod';
import { alertmanagerSettings, commonSettings, kafkaSettings, mongoSettings, parseConfig, syslogSettings } from '@costwatch/config';

export const notifierConfigSchema = z.object({
  ...commonSettings,
  ...kafkaSettings,
  ...mongoSettings,
  ...alertmanagerSettings,
  ...syslogSettings,
  HTTP_PORT: commonSettings.HTTP_PORT.default(8084),
  KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-notifier'),
});

export type NotifierConfig = z.output<typeof notifierConfigSchema>;

export const loadNotifierConfig = (env: NodeJS.ProcessEnv = process.env): NotifierConfig => parseConfig(notifierConfigSchema, env);
