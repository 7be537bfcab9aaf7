/**
 * Two projects: `unit` (pure logic, no I/O, runs anywhere) and `integration` (real
 * PostgreSQL, Redis, Kafka and the Mongo-protocol store, started by the global setup).
 * @swc/jest only strips types; `npm run typecheck` is the type check.
 */
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const ignore = ['/node_modules/', '/.local/'];

module.exports = {
  // A global option: inside `projects` it is ignored. Integration tests start processes and race
  // hundreds of callers; this bounds a hung test, it asserts no speed.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.unit.spec.ts'],
      testPathIgnorePatterns: ignore,
      transform,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts', '<rootDir>/test/e2e/**/*.e2e.spec.ts'],
      testPathIgnorePatterns: ignore,
      transform,
      globalSetup: '<rootDir>/packages/test-support/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/test-support/src/global-teardown.ts',
    },
  ],
};
