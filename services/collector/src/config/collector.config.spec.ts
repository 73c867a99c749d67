import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configProblems } from '@costwatch/config';
import { loadCollectorCliConfig, loadCollectorConfig, loadReplayArchiveConfig } from './collector.config';

/** config/settings.example.yaml, as shipped: it must load. */
const example = resolve(__dirname, '../../../../config/settings.example.yaml');


const base = { KAFKA_BROKERS: '127.0.0.1:9092' };
const problemsOf = (env: Record<string, string>): string[] => configProblems(() => loadCollectorConfig({ ...base, ...env }));
const account = { accountId: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/costwatch' };

describe('collector config', () => {
  it('AWS_CE_ACCOUNTS: an unknown key (a typo of an optional one) stops startup naming the setting and the key', () => {
    const sources = { COLLECTOR_SOURCES: 'aws-cost-explorer' };
    expect(problemsOf({ ...sources, AWS_CE_ACCOUNTS: JSON.stringify([account, { ...account, externalID: 'x' }]) })).toEqual(['AWS_CE_ACCOUNTS: Unrecognized key: "externalID" (at [1])']);
    expect(loadCollectorConfig({ ...base, ...sources, AWS_CE_ACCOUNTS: JSON.stringify([{ ...account, externalId: 'ext-1', project: 'p' }]) }).AWS_CE_ACCOUNTS).toHaveLength(1);
  });

  it('HOURLY_CRON and DAILY_CRON must be cron expressions (six fields with seconds, too)', () => {
    expect(problemsOf({ DAILY_CRON: 'every day at 00:30' })).toEqual([expect.stringMatching(/^DAILY_CRON: must be a cron expression/)]);
    expect(problemsOf({ HOURLY_CRON: '61 * * * *' })).toEqual([expect.stringMatching(/^HOURLY_CRON: /)]);
    expect(loadCollectorConfig({ ...base, DAILY_CRON: '*/2 * * * * *' }).DAILY_CRON).toBe('*/2 * * * * *');
  });

  describe('settings file', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'collector-settings-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('one collector section serves the service and every CLI command; --config wins over COSTWATCH_CONFIG', () => {
      const path = join(dir, 'settings.yaml');
      writeFileSync(
        path,
        ['common:', '  KAFKA_BROKERS: kafka:9092', '  S3_ACCESS_KEY_ID: id', '  S3_SECRET_ACCESS_KEY: secret', 'collector:', '  HTTP_PORT: 9081', '  SCHEDULE_ENABLED: false', '  S3_BUCKET: archive-bucket', ''].join('\n'),
      );
      expect(loadCollectorConfig({ COSTWATCH_CONFIG: path })).toMatchObject({ HTTP_PORT: 9081, SCHEDULE_ENABLED: false, KAFKA_BROKERS: ['kafka:9092'] });
      expect(loadCollectorCliConfig({}, path).SCHEDULE_ENABLED).toBe(false);
      expect(loadReplayArchiveConfig({ COSTWATCH_CONFIG: join(dir, 'elsewhere.yaml') }, path).S3_BUCKET).toBe('archive-bucket');
      expect(loadCollectorConfig({ COSTWATCH_CONFIG: path, SCHEDULE_ENABLED: 'true' }).SCHEDULE_ENABLED).toBe(true);
    });

    it('refuses a setting of another service under collector, naming file, line and key', () => {
      const path = join(dir, 'wrong-section.yaml');
      writeFileSync(path, 'common:\n  KAFKA_BROKERS: kafka:9092\ncollector:\n  DETECTION_PRESET: billing\n');
      expect(configProblems(() => loadCollectorConfig({ COSTWATCH_CONFIG: path }))).toEqual([`collector.DETECTION_PRESET (${path}:4): unknown setting of the collector`]);
    });
  });
});

describe('collector config: the example settings file', () => {
  it('loads config/settings.example.yaml for the service and the CLIs', () => {
    expect(loadCollectorConfig({ COSTWATCH_CONFIG: example })).toMatchObject({ HTTP_PORT: 8081, COLLECTOR_SOURCES: ['synthetic'], DAILY_CRON: '30 0 * * *' });
    expect(loadReplayArchiveConfig({ S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' }, example).S3_ENDPOINT).toBe('http://minio:9000');
  });
});
