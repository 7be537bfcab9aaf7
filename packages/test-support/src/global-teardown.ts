import { rmSync } from 'node:fs';
import { createRedis } from '@ticketing/platform';
import { dropRunDatabases } from './stack';
import { systemFileFor } from './system';

/** Stops the run's processes (SIGTERM, as an orchestrator would), then removes its data. */
export default async function globalTeardown(): Promise<void> {
  const processes = globalThis.__TEST_PROCESSES__ ?? [];
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  const runId = globalThis.__TEST_RUN_ID__;
  if (runId && process.env['KEEP_TEST_DATA'] !== '1') {
    await dropRunDatabases(runId);
    const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const keys = await redis.keys(`test:${runId}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  if (runId) rmSync(systemFileFor(runId), { force: true });
}
