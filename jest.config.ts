// Unit tier: every project's pure `*.spec.ts` tests, no servers needed.
import type { Config } from 'jest';

const config: Config = {
  projects: ['<rootDir>/libs/*/jest.config.ts', '<rootDir>/services/*/jest.config.ts', '<rootDir>/tools/demo/jest.config.ts'],
};

export default config;
