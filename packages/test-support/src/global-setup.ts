import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ROOT, SERVICES, spawnService, waitUntilReady, wiringEnv } from '../../../infra/services';
import { createRunDatabases, ensureLocalStack } from './stack';
import { systemFileFor, type TestSystem } from './system';

declare global {
  var __TEST_PROCESSES__: ChildProcess[] | undefined;
  var __TEST_RUN_ID__: string | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the whole system once per test run, as real processes against the real stack, with
 * its own databases, Redis key prefix and JWT secret so runs never see each other's data.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['SKIP_STACK_UP'] !== '1') ensureLocalStack();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const databaseUrls = await createRunDatabases(runId);
  const ports = new Map<string, number>();
  for (const service of SERVICES) ports.set(service.name, await freePort());
  const env: Record<string, string> = {
    ...databaseUrls,
    ...wiringEnv((service) => ports.get(service.name)!),
    REDIS_KEY_PREFIX: `test:${runId}:`,
    JWT_SECRET: randomBytes(24).toString('hex'),
    // Cheaper scrypt so hundreds of test accounts sign up in seconds; production default is 15.
    PASSWORD_HASH_LOG2_COST: '11',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
  };
  const logDir = path.join(ROOT, '.run', 'test-logs', runId);
  mkdirSync(logDir, { recursive: true });
  const processes: ChildProcess[] = [];
  globalThis.__TEST_PROCESSES__ = processes;
  globalThis.__TEST_RUN_ID__ = runId;
  const serviceUrls: Record<string, string> = {};
  // TEST_SERVICES=user,gateway starts a subset (handy while building one subgraph); default: all.
  const only = process.env['TEST_SERVICES']?.split(',');
  const started = SERVICES.filter((service) => !only || only.includes(service.name));
  for (const service of started) {
    const child = spawnService(service, { ...process.env, ...env }, path.join(logDir, `${service.name}.log`));
    processes.push(child);
    serviceUrls[service.name] = `http://127.0.0.1:${ports.get(service.name)}`;
  }
  await Promise.all(
    started.map((service, i) =>
      waitUntilReady(serviceUrls[service.name]!, 90_000, processes[i]).catch((error: unknown) => {
        throw new Error(`${(error as Error).message} (log: ${path.join(logDir, `${service.name}.log`)})`);
      }),
    ),
  );
  const system: TestSystem = { runId, gatewayUrl: `${serviceUrls['gateway']}/graphql`, serviceUrls, env };
  writeFileSync(systemFileFor(runId), JSON.stringify(system, null, 2));
  process.env['TEST_SYSTEM_FILE'] = systemFileFor(runId);
}
