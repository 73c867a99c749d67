import { ConfigError } from '@costwatch/config';
import { loadNotifierConfig } from '../config/notifier.config';
import { loadReportCliConfig } from './report-cli.config';

const env = { KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017/', ALERTMANAGER_URLS: 'http://am:9093', SYSLOG_HOST: '127.0.0.1' };

const problemOf = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('report settings', () => {
  it('schedules nothing by default', () => {
    const config = loadNotifierConfig(env);
    expect(config.REPORT_SCHEDULE).toBeUndefined();
    expect(config.REPORT_PERIODS).toEqual(['daily']);
    expect(config.REPORT_DIR).toBe('reports');
  });

  it('takes a cron expression and a list of periods', () => {
    const config = loadNotifierConfig({ ...env, REPORT_SCHEDULE: '30 3 * * *', REPORT_PERIODS: 'daily, weekly,monthly,daily', REPORT_DIR: '/var/lib/costwatch/reports' });
    expect(config.REPORT_SCHEDULE).toBe('30 3 * * *');
    expect(config.REPORT_PERIODS).toEqual(['daily', 'weekly', 'monthly']);
  });

  it('names a bad schedule or period', () => {
    expect(problemOf(() => loadNotifierConfig({ ...env, REPORT_SCHEDULE: '99 * * * *' }))).toContain('REPORT_SCHEDULE: must be a cron expression');
    expect(problemOf(() => loadNotifierConfig({ ...env, REPORT_PERIODS: 'daily,yearly' }))).toContain('REPORT_PERIODS');
  });

  it('the report command needs only MongoDB, and names a bad URL', () => {
    expect(loadReportCliConfig({ MONGO_URL: 'mongodb://db:27017/' })).toEqual({ MONGO_URL: 'mongodb://db:27017/', MONGO_DB: 'costwatch' });
    expect(problemOf(() => loadReportCliConfig({ MONGO_URL: 'http://db:27017/' }))).toBe('Invalid configuration: MONGO_URL: must be a mongodb:// URL');
    expect(problemOf(() => loadReportCliConfig({}))).toBe('Invalid configuration: MONGO_URL: is required but not set');
  });
});
