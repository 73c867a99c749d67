const { transform, moduleNameMapper } = require('../../jest.preset.js');

// The demo's pure parts (tools/demo/*.spec.ts); the demo itself runs in `npm start`.
export default {
  displayName: 'demo',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  transform,
  moduleNameMapper,
};
