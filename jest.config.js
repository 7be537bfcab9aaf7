/**
 * Two projects: `unit` (pure logic, no I/O, runs anywhere) and `integration` (real
 * PostgreSQL, Redis, Kafka and the Mongo-protocol store, started by the global setup).
 * @swc/jest only strips types; `npm run typecheck` is the type check.
 */
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const ignore = ['/node_modules/', '/.local/'];

module.exports = {
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
      testTimeout: 60000,
    },
  ],
};
