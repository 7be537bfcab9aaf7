import { writeFileSync } from 'node:fs';
import { startIsolatedSystem, type IsolatedSystem } from './isolated-system';
import { systemFileFor, type TestSystem } from './system';

declare global {
  var __TEST_SYSTEM__: IsolatedSystem | undefined;
}

/** Starts the system once per test run; TEST_SERVICES=user,gateway starts a subset. */
export default async function globalSetup(): Promise<void> {
  const system = await startIsolatedSystem({
    label: 'test',
    ...(process.env['TEST_SERVICES'] ? { services: process.env['TEST_SERVICES'].split(',') } : {}),
    env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn' },
  });
  globalThis.__TEST_SYSTEM__ = system;
  const { runId, gatewayUrl, serviceUrls, env } = system;
  const file: TestSystem = { runId, gatewayUrl, serviceUrls, env };
  writeFileSync(systemFileFor(runId), JSON.stringify(file, null, 2));
  process.env['TEST_SYSTEM_FILE'] = systemFileFor(runId);
}
