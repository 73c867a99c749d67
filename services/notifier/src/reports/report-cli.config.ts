import type { z } from 'zod';
import { parseConfig } from '@costwatch/config';
import { notifierConfigSchema, notifierSettingsFile } from '../config/notifier.config';

/** The report command's settings: the notifier's MongoDB settings, nothing else. */
export const reportCliConfigSchema = notifierConfigSchema.pick({ MONGO_URL: true, MONGO_DB: true });

export type ReportCliConfig = z.output<typeof reportCliConfigSchema>;

/** `configFlag` is the CLI's `--config`; otherwise `COSTWATCH_CONFIG` names the settings file, if any (its `common` and `notifier` sections). */
export const loadReportCliConfig = (env: NodeJS.ProcessEnv = process.env, configFlag?: string): ReportCliConfig =>
  parseConfig(reportCliConfigSchema, env, notifierSettingsFile(env, configFlag));
