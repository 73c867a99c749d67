import type { z } from 'zod';
import { parseConfig } from '@costwatch/config';
import { notifierConfigSchema } from '../config/notifier.config';

/** The report command's settings: the notifier's MongoDB settings, nothing else. */
export const reportCliConfigSchema = notifierConfigSchema.pick({ MONGO_URL: true, MONGO_DB: true });

export type ReportCliConfig = z.output<typeof reportCliConfigSchema>;

export const loadReportCliConfig = (env: NodeJS.ProcessEnv = process.env): ReportCliConfig => parseConfig(reportCliConfigSchema, env);
