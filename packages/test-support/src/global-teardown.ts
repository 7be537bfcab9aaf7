import { rmSync } from 'node:fs';
import { stopIsolatedSystem } from './isolated-system';
import { systemFileFor } from './system';

export default async function globalTeardown(): Promise<void> {
  const system = globalThis.__TEST_SYSTEM__;
  if (!system) return;
  await stopIsolatedSystem({ ...system, keepData: process.env['KEEP_TEST_DATA'] === '1' });
  rmSync(systemFileFor(system.runId), { force: true });
}
