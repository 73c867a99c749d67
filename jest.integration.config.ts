// Integration tier: `*.integration-spec.ts` against real Kafka, FerretDB/MongoDB, MinIO,
// Alertmanager and rsyslog. The global setup starts the local stack (or reuses one, or
// uses the endpoints given by env vars); tests use random topic/bucket/database names.
import type { Config } from 'jest';
const { transform, moduleNameMapper } = require('./jest.preset.js');

const config: Config = {
  displayName: 'integration',
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/test'],
  testMatch: ['**/*.integration-spec.ts'],
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
};

export default config;
