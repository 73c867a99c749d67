// Shared jest settings: ts-jest in isolated mode (type checking is `npm run typecheck`'s job)
// and the tsconfig path aliases mapped to sources.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: `${__dirname}/tsconfig.spec.json` }],
};

const moduleNameMapper = pathsToModuleNameMapper(compilerOptions.paths, { prefix: `${__dirname}/` });

/** Unit-tier config for one project: pure `*.spec.ts` tests. */
function unitProject(dir, displayName) {
  return {
    displayName,
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform,
    moduleNameMapper,
  };
}

module.exports = { transform, moduleNameMapper, unitProject };
