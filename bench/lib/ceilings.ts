import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { PG_ADMIN_URL, ROOT, waitUntilReady } from '../../infra/services';
import { closedLoop, createPoster, type LoadResult } from './load';
import { processTicks, TICKS_PER_SECOND } from './proc-stat';

/** Redis's own ceiling on this box: redis-benchmark SET/GET with 50 clients, no pipelining. */
export function redisBenchmark(requests = 200_000): { command: string; set: number; get: number } {
  const args = ['-h', '127.0.0.1', '-p', '6379', '-q', '-n', String(requests), '-c', '50', '-t', 'set,get'];
  const out = spawnSync('redis-benchmark', args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`redis-benchmark failed: ${out.stderr}`);
  const rate = (name: string) => Number(new RegExp(`${name}: ([\\d.]+) requests per second`).exec(out.stdout)?.[1] ?? NaN);
  return { command: `redis-benchmark ${args.join(' ')}`, set: Math.round(rate('SET')), get: Math.round(rate('GET')) };
}

/** The stack's own PostgreSQL 15 client tools (infra/stack/lib.sh PG_BIN), else whatever is on PATH. */
const PGBENCH = existsSync('/usr/lib/postgresql/15/bin/pgbench') ? '/usr/lib/postgresql/15/bin/pgbench' : 'pgbench';

/**
 * PostgreSQL's own write ceiling on this box: `pgbench -N` (TPC-B-like without the branch and
 * teller updates, so clients do not queue on one row) on a scratch database of the same server,
 * initialised with `pgbench -i` (scale 1) and dropped afterwards.
 */
export async function pgbenchCeiling(options: { seconds: number; clients: number; threads: number }): Promise<{
  command: string;
  tps: number;
  latencyMs: number;
}> {
  const name = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  const url = new URL(PG_ADMIN_URL);
  const connection = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username)];
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) };
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const init = spawnSync(PGBENCH, ['-i', '-q', ...connection, name], { encoding: 'utf8', env });
    if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
    const args = ['-N', '-T', String(options.seconds), '-c', String(options.clients), '-j', String(options.threads)];
    const run = spawnSync(PGBENCH, [...args, ...connection, name], { encoding: 'utf8', env });
    if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout)?.[1] ?? NaN);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(run.stdout)?.[1] ?? NaN);
    return { command: `pgbench ${args.join(' ')} (scale 1, \`pgbench -i\` on a scratch database of the same server)`, tps: Math.round(tps), latencyMs };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

function startNode(entry: string, env: NodeJS.ProcessEnv, log: string) {
  const fd = openSync(log, 'a');
  try {
    return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

/** The no-op ceiling, and what one no-op cost each of its three processes (CPU ms, from /proc and the load generator's own clock). */
export interface NoopCeiling extends LoadResult {
  cpuMsPerRequest: { gateway: number; subgraph: number; loadGenerator: number };
}

/**
 * The cost of the GraphQL stack itself: `mutation { noop }` through the real gateway code to a
 * trivial subgraph, from the same load generator the scenario uses, beside the running system.
 */
export async function noopGatewayCeiling(options: {
  env: Record<string, string>;
  logDir: string;
  seconds: number;
  concurrency: number;
}): Promise<NoopCeiling> {
  const gatewayPort = 4098;
  const noopPort = 4099;
  // Metrics on a port the OS picks: the system's own gateway holds GATEWAY_METRICS_PORT.
  const env = { ...process.env, ...options.env, NOOP_PORT: String(noopPort), NOOP_URL: `http://127.0.0.1:${noopPort}/graphql`, GATEWAY_PORT: String(gatewayPort), GATEWAY_METRICS_PORT: '0' };
  const noop = startNode('bench/noop/noop-subgraph.ts', env, path.join(options.logDir, 'noop-subgraph.log'));
  const gateway = startNode('bench/noop/noop-gateway.ts', env, path.join(options.logDir, 'noop-gateway.log'));
  try {
    await waitUntilReady(`http://127.0.0.1:${noopPort}`, 60_000, noop);
    await waitUntilReady(`http://127.0.0.1:${gatewayPort}`, 60_000, gateway);
    const poster = createPoster(`http://127.0.0.1:${gatewayPort}/graphql`, options.concurrency);
    const body = JSON.stringify({ query: 'mutation Noop { noop }' });
    const send = async () => (await poster.post(body)).body.includes('"noop":true');
    await closedLoop({ concurrency: options.concurrency, seconds: 2, send }); // warm-up (JIT, connections)
    const ticksBefore = { gateway: processTicks(gateway.pid!), subgraph: processTicks(noop.pid!) };
    const selfBefore = process.cpuUsage();
    const result = await closedLoop({ concurrency: options.concurrency, seconds: options.seconds, send });
    const self = process.cpuUsage(selfBefore);
    const perRequest = (ms: number) => Math.round((ms / result.requests) * 1000) / 1000;
    const ticksMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
    const cpuMsPerRequest = {
      gateway: perRequest(ticksMs(processTicks(gateway.pid!) - ticksBefore.gateway)),
      subgraph: perRequest(ticksMs(processTicks(noop.pid!) - ticksBefore.subgraph)),
      loadGenerator: perRequest((self.user + self.system) / 1000),
    };
    poster.close();
    return { ...result, cpuMsPerRequest };
  } finally {
    noop.kill('SIGTERM');
    gateway.kill('SIGTERM');
  }
}
