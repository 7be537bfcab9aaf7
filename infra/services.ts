import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { localGraphqlUrl, SERVICES, type Service } from '@ticketing/contracts';
import { compiledPath, ensureBuilt } from './build';

export const ROOT = path.resolve(__dirname, '..');

export const PG_ADMIN_URL = process.env['PG_ADMIN_URL'] ?? 'postgresql://ticketing:ticketing@127.0.0.1:5432/postgres';
export const databaseUrl = (database: string) => PG_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);

/** The registry lives in @ticketing/contracts; this file keeps the helpers that run its processes. */
export { DATABASES, SERVICES, type DatabaseName } from '@ticketing/contracts';
export type ServiceSpec = Service;

/**
 * The variables that tell each process where the others listen, for a given port plan, and
 * (when given) where each serves its internal /metrics.
 */
export function wiringEnv(portOf: (service: ServiceSpec) => number, metricsPortOf?: (service: ServiceSpec) => number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const service of SERVICES) {
    env[service.portVar] = String(portOf(service));
    env[service.urlVar] = localGraphqlUrl(portOf(service));
    if (metricsPortOf) env[service.metricsPortVar] = String(metricsPortOf(service));
  }
  return env;
}

/** Where a service serves Prometheus's /metrics, given the environment it runs with. */
export function metricsUrl(service: ServiceSpec, env: Record<string, string | undefined>): string {
  return `http://127.0.0.1:${env[service.metricsPortVar] ?? service.metricsPort}/metrics`;
}

/**
 * How a service's process runs: its compiled JavaScript (built first when stale, infra/build.ts),
 * or with RUN_FROM_SOURCE=1 its TypeScript through tsx (no build while developing, at the cost of
 * the loader's hooks). Source maps are on from the start, as tsx has them, so a crash while
 * starting names .ts lines; configureRuntime (platform) turns them off once serving unless
 * SOURCE_MAPS=1, because mapping the stacks libraries build per request costs throughput.
 */
export function serviceCommand(service: ServiceSpec, env: NodeJS.ProcessEnv): string[] {
  if (env['RUN_FROM_SOURCE'] === '1') return [...V8_FLAGS, '--import', 'tsx', path.join(ROOT, service.entry)];
  ensureBuilt();
  return [...V8_FLAGS, '--enable-source-maps', path.join(ROOT, compiledPath(service.entry))];
}

/**
 * V8's young generation at four times its default semi-space (16 MB): a service allocates per
 * request and per message, nearly all of it garbage within the operation, and a larger nursery
 * scavenges less often for the same survivors. Measured by bench:onsale (issue 10, 2026-12-05,
 * four runs alternating with and without): garbage-collection pauses per payment at 300/s
 * 1.73 / 1.46 → 1.14 / 1.04 ms, per hold attempt 0.44 / 0.48 → 0.32 / 0.30 ms, hold p99
 * 253 / 244 → 212 / 217 ms. The cost is memory: up to about 100 MB more per busy process, none idle.
 * The container image and docker-compose.scaled.yml's replicas set the same through NODE_OPTIONS.
 */
const V8_FLAGS = ['--max-semi-space-size=64'];

/**
 * Runs one service as its own Node process (serviceCommand). Output goes straight to a log file
 * descriptor, not through this process, so a detached service outlives its starter.
 */
export function spawnService(service: ServiceSpec, env: NodeJS.ProcessEnv, logFile: string, detached = false): ChildProcess {
  const command = serviceCommand(service, env);
  const log = openSync(logFile, 'a');
  try {
    // CPU_PROFILE_DIR: write a V8 CPU profile there on exit (node refuses --cpu-prof in NODE_OPTIONS).
    const profile = env['CPU_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${env['CPU_PROFILE_DIR']}`] : [];
    return spawn(process.execPath, [...profile, ...command], {
      cwd: ROOT,
      env,
      detached,
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
}

/** Polls /ready until the service answers 200, or fails with the reason. */
export async function waitUntilReady(baseUrl: string, timeoutMs = 60_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${baseUrl} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/ready`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${baseUrl} not ready after ${timeoutMs} ms: ${last}`);
}

/** SIGTERM (as an orchestrator would), SIGKILL after the grace period, resolved once it exited. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
