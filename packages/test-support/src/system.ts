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

export const SYSTEM_FILE = path.join(ROOT, '.run', 'test-system.json');

export function testSystem(): TestSystem {
  if (!existsSync(SYSTEM_FILE)) throw new Error('No test system: run integration tests through jest (global setup).');
  return JSON.parse(readFileSync(SYSTEM_FILE, 'utf8')) as TestSystem;
}
