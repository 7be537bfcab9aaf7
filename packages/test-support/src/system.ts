import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../infra/services';

/** What the global setup started for this test run: every process's URL and environment. */
export interface TestSystem {
  runId: string;
  gatewayUrl: string;
  serviceUrls: Record<string, string>;
  /** The environment the processes run with (database URLs, Redis prefix, secrets). */
  env: Record<string, string>;
}

/**
 * One file per run, named in TEST_SYSTEM_FILE by the global setup; jest forks its workers after
 * the setup, so they inherit the variable. Concurrent runs in one checkout never share a system.
 */
export const systemFileFor = (runId: string) => path.join(ROOT, '.run', `test-system-${runId}.json`);

let cached: TestSystem | undefined;
export function testSystem(): TestSystem {
  if (cached) return cached;
  const file = process.env['TEST_SYSTEM_FILE'];
  if (!file || !existsSync(file)) throw new Error('No test system: run integration tests through jest (global setup).');
  cached = JSON.parse(readFileSync(file, 'utf8')) as TestSystem;
  return cached;
}

/** Points this test file's helpers (gql, sql, fixtures) at a system it started itself. */
export function useTestSystem(system: TestSystem): void {
  cached = { runId: system.runId, gatewayUrl: system.gatewayUrl, serviceUrls: system.serviceUrls, env: system.env };
}
