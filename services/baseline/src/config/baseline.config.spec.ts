import { resolve } from 'node:path';
import { configProblems } from '@costwatch/config';
import { loadBaselineConfig } from './baseline.config';

/** config/settings.example.yaml, as shipped: it must load. */
const example = resolve(__dirname, '../../../../config/settings.example.yaml');


const base = { KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017/', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };

const problemsOf = (env: Record<string, string>): string[] => configProblems(() => loadBaselineConfig({ ...base, ...env }));

describe('baseline config: BASELINE_ROLES', () => {
  it('runs the aggregator and the archiver by default', () => {
    expect(loadBaselineConfig(base).BASELINE_ROLES).toEqual(['aggregator', 'archiver']);
  });

  it('runs one role alone, listed once however often it is named', () => {
    expect(loadBaselineConfig({ ...base, BASELINE_ROLES: 'archiver' }).BASELINE_ROLES).toEqual(['archiver']);
    expect(loadBaselineConfig({ ...base, BASELINE_ROLES: 'aggregator, aggregator' }).BASELINE_ROLES).toEqual(['aggregator']);
  });

  it('an unknown or empty role list stops startup naming BASELINE_ROLES', () => {
    expect(problemsOf({ BASELINE_ROLES: 'aggregator,detector' })).toEqual([expect.stringMatching(/^BASELINE_ROLES: /)]);
    expect(problemsOf({ BASELINE_ROLES: ' , ' })).toEqual([expect.stringMatching(/^BASELINE_ROLES: must list at least one value/)]);
  });
});

describe('baseline config: consumer group ids', () => {
  it('default to costwatch-aggregator and costwatch-archiver without a topic prefix', () => {
    expect(loadBaselineConfig(base)).toMatchObject({ AGGREGATOR_GROUP_ID: 'costwatch-aggregator', ARCHIVER_GROUP_ID: 'costwatch-archiver' });
  });

  it('carry KAFKA_TOPIC_PREFIX, so deployments sharing a broker never share a group', () => {
    expect(loadBaselineConfig({ ...base, KAFKA_TOPIC_PREFIX: 'staging.' })).toMatchObject({ AGGREGATOR_GROUP_ID: 'staging.costwatch-aggregator', ARCHIVER_GROUP_ID: 'staging.costwatch-archiver' });
  });

  it('are used as given when set (an empty value counts as unset)', () => {
    const config = loadBaselineConfig({ ...base, KAFKA_TOPIC_PREFIX: 'staging.', AGGREGATOR_GROUP_ID: 'agg', ARCHIVER_GROUP_ID: '' });
    expect(config).toMatchObject({ AGGREGATOR_GROUP_ID: 'agg', ARCHIVER_GROUP_ID: 'staging.costwatch-archiver' });
  });
});

describe('baseline config: the example settings file', () => {
  it('loads config/settings.example.yaml with the secrets from the environment', () => {
    const config = loadBaselineConfig({ COSTWATCH_CONFIG: example, MONGO_URL: 'mongodb://mongo:27017/', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' });
    expect(config).toMatchObject({ HTTP_PORT: 8082, KAFKA_BROKERS: ['kafka-1:9092', 'kafka-2:9092'], S3_BUCKET: 'costwatch-billing', DAY_CLOSE_GRACE_HOURS: 2, AGGREGATOR_GROUP_ID: 'costwatch-aggregator' });
  });
});
