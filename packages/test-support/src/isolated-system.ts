import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DEFAULT_EVENT_STORE_URL, dropEventStoreDatabase, withDatabase } from '@ticketing/event-store';
import { createRedis } from '@ticketing/platform';
import { ROOT, SERVICES, spawnService, stopProcess as stopChild, waitUntilReady, wiringEnv, type ServiceSpec } from '../../../infra/services';

/** Children this module is stopping on purpose; any other exit is a crash worth shouting about. */
const stopping = new WeakSet<ChildProcess>();

/**
 * A service that dies mid-run fails every later test with a bare "Internal server error"; say
 * which one died, and where its log is, on the test run's own output (the one CI keeps).
 */
function spawnWatched(service: ServiceSpec, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const child = spawnService(service, env, logFile);
  child.once('exit', (code, signal) => {
    if (stopping.has(child)) return;
    // CI keeps the run's output, not the log files: the log's last lines say why it died.
    process.stderr.write(`[test system] ${service.name} exited unexpectedly (code ${code}, signal ${signal}); log: ${logFile}; its last lines:\n${logTail(logFile)}\n`);
  });
  return child;
}

function logTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(unreadable: ${(error as Error).message})`;
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  stopping.add(child);
  return stopChild(child);
}
import { containerRuntimeAnswers, startStackContainers } from './containers';
import { createRunDatabases, dropRunDatabases, ensureLocalStack } from './stack';
import type { TestSystem } from './system';

let containers: Promise<unknown> | undefined;

/**
 * Real services for the run: testcontainers when a container runtime answers, otherwise the local
 * stack (always, on these machines). TEST_STACK=local|containers forces one; SKIP_STACK_UP=1
 * trusts that the services already run.
 */
async function ensureStack(): Promise<void> {
  if (process.env['SKIP_STACK_UP'] === '1') return;
  const choice = process.env['TEST_STACK'] ?? 'auto';
  const useContainers = choice === 'containers' || (choice === 'auto' && (await containerRuntimeAnswers()));
  if (!useContainers) return ensureLocalStack();
  if (!(await containerRuntimeAnswers())) throw new Error('TEST_STACK=containers, but no container runtime answers');
  containers ??= startStackContainers();
  await containers;
}

export interface IsolatedSystem extends TestSystem {
  processes: ChildProcess[];
  /** The service name of each process, same order. */
  services: string[];
  logDir: string;
}

/** The run's own event store database on the stack's store server, dropped with the run. */
const eventStoreDatabase = (runId: string) => `test_${runId}_events`;

/**
 * Ports handed out below the kernel's ephemeral range (Linux: 32768–60999 by default). A port the
 * OS picks with listen(0) comes from that range, which is also where every outgoing connection
 * (pg pools, Kafka, Redis: hundreds per run) takes its local port, so between the pick and the
 * service's own bind an outgoing socket could take it and the service died with EADDRINUSE.
 */
const TEST_PORT_RANGE = { from: 20_000, to: 32_767 } as const;

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Every port this test process handed out. A port nobody has bound yet looks free again, so one
 * system's fourteen picks could repeat one (two services on one port: one of them died).
 */
const handedOut = new Set<number>();

/** A TCP port nothing listens on right now and never handed out before, for a process about to bind it (random, so parallel runs rarely meet). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = TEST_PORT_RANGE.from + randomInt(TEST_PORT_RANGE.to - TEST_PORT_RANGE.from + 1);
    if (handedOut.has(port) || !(await portAnswers(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${TEST_PORT_RANGE.from}–${TEST_PORT_RANGE.to} after 200 tries`);
}

/**
 * The whole system as real processes against the real stack, with its own databases (cloned
 * from migrated templates), Redis key prefix and JWT secret, on free ports: what integration
 * tests and benchmarks run against, so neither sees the other's data nor the developer's.
 */
export async function startIsolatedSystem(options: {
  label: string;
  /** Subset of services to start (default: all). */
  services?: readonly string[];
  env?: Record<string, string>;
}): Promise<IsolatedSystem> {
  await ensureStack();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const databaseUrls = await createRunDatabases(runId);
  const ports = new Map<string, number>();
  for (const service of SERVICES) ports.set(service.name, await freePort());
  const metricsPorts = new Map<string, number>();
  for (const service of SERVICES) metricsPorts.set(service.name, await freePort());
  const env: Record<string, string> = {
    ...databaseUrls,
    ...wiringEnv((service) => ports.get(service.name)!, (service) => metricsPorts.get(service.name)!),
    REDIS_KEY_PREFIX: `${options.label}:${runId}:`,
    EVENT_STORE_URL: withDatabase(process.env['EVENT_STORE_URL'] ?? DEFAULT_EVENT_STORE_URL, eventStoreDatabase(runId)),
    // Topics and consumer groups of their own: runs share the cluster, never each other's events.
    KAFKA_TOPIC_PREFIX: `${options.label}.${runId}.`,
    // Test mode (introspection and suggestions on), with secrets of its own like a deployment.
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_TOKEN_SECRET: randomBytes(32).toString('hex'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    // Cheaper scrypt so thousands of accounts sign up in seconds; production default is 15.
    PASSWORD_HASH_LOG2_COST: '11',
    LOG_LEVEL: 'warn',
    // Front-door limits out of the way: every test fan and benchmark fan comes from 127.0.0.1, and
    // races run hundreds of callers at once. The limits' own specs pass low ones in `options.env`.
    RATE_LIMIT_USER_OPS: '1000000',
    RATE_LIMIT_USER_BURST: '1000000',
    RATE_LIMIT_IP_OPS: '1000000',
    RATE_LIMIT_IP_BURST: '1000000',
    RATE_LIMIT_LOGIN_PER_IP: '1000000',
    RATE_LIMIT_SIGNUP_PER_IP: '1000000',
    MAX_SOCKETS_PER_USER: '100000',
    MAX_SOCKETS_PER_IP: '100000',
    LOGIN_LOCKOUT_AFTER_FAILURES: '1000000',
    ...options.env,
  };
  const logDir = path.join(ROOT, '.run', `${options.label}-logs`, runId);
  mkdirSync(logDir, { recursive: true });
  // The same demo data `npm start` creates, by the same script.
  const seed = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'seed.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (seed.status !== 0) throw new Error(`seeding the run failed:\n${seed.stdout}${seed.stderr}`);
  const started = SERVICES.filter((service) => !options.services || options.services.includes(service.name));
  const processes: ChildProcess[] = [];
  const serviceUrls: Record<string, string> = {};
  for (const service of started) {
    processes.push(spawnWatched(service, { ...process.env, ...env }, path.join(logDir, `${service.name}.log`)));
    serviceUrls[service.name] = `http://127.0.0.1:${ports.get(service.name)}`;
  }
  try {
    await Promise.all(
      started.map((service, i) =>
        waitUntilReady(serviceUrls[service.name]!, 90_000, processes[i]).catch((error: unknown) => {
          throw new Error(`${(error as Error).message} (log: ${path.join(logDir, `${service.name}.log`)})`);
        }),
      ),
    );
  } catch (error) {
    await stopIsolatedSystem({ runId, processes, env, keepData: false });
    throw error;
  }
  return { runId, gatewayUrl: `${serviceUrls['gateway']}/graphql`, serviceUrls, env, processes, logDir, services: started.map((s) => s.name) };
}

/**
 * Stops one service of a running system (SIGTERM, as an orchestrator would), runs `whileDown`,
 * then starts it again with the same environment and waits until it is ready.
 */
export async function restartService(system: IsolatedSystem, name: string, whileDown: () => Promise<void> = async () => undefined): Promise<void> {
  const index = system.services.indexOf(name);
  const service = SERVICES.find((candidate) => candidate.name === name);
  const child = system.processes[index];
  if (index < 0 || !service || !child) throw new Error(`${name} is not running in this system`);
  await stopProcess(child);
  try {
    await whileDown();
  } finally {
    // Started again even when `whileDown` failed, so one failing test does not take the service from the next.
    const restarted = spawnWatched(service, { ...process.env, ...system.env }, path.join(system.logDir, `${name}.log`));
    system.processes[index] = restarted;
    await waitUntilReady(system.serviceUrls[name]!, 90_000, restarted);
  }
}

/** SIGTERM every process (as an orchestrator would), then remove the run's databases and keys. */
export async function stopIsolatedSystem(system: {
  runId: string;
  processes: ChildProcess[];
  env: Record<string, string>;
  keepData?: boolean;
}): Promise<void> {
  await Promise.all(system.processes.map((child) => stopProcess(child)));
  if (system.keepData) return;
  await dropRunDatabases(system.runId);
  // Only the run's own store database: a caller may have pointed EVENT_STORE_URL elsewhere.
  const eventStoreUrl = system.env['EVENT_STORE_URL'];
  if (eventStoreUrl?.includes(`/${eventStoreDatabase(system.runId)}`)) await dropEventStoreDatabase(eventStoreUrl);
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const prefix = system.env['REDIS_KEY_PREFIX'];
  if (prefix) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
}
