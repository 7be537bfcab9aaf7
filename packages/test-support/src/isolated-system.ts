import { Kafka, logLevel } from 'kafkajs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DEFAULT_EVENT_STORE_URL, dropEventStoreDatabase, withDatabase } from '@ticketing/event-store';
import { createRedis } from '@ticketing/platform';
import { haproxyConfig, instanceEnv, type Instance } from '../../../infra/instances';
import { ROOT, SERVICES, spawnService, stopProcess as stopChild, waitUntilReady, wiringEnv, type ServiceSpec } from '../../../infra/services';

/** Children this module is stopping on purpose; any other exit is a crash worth shouting about. */
const stopping = new WeakSet<ChildProcess>();

/**
 * A service that dies mid-run fails every later test with a bare "Internal server error"; say
 * which one died, and where its log is, on the test run's own output (the one CI keeps).
 */
function spawnWatched(instance: Instance, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  return watched(instance.name, spawnService(instance.service, env, logFile), logFile);
}

function watched(name: string, child: ChildProcess, logFile: string): ChildProcess {
  child.once('exit', (code, signal) => {
    if (stopping.has(child)) return;
    // CI keeps the run's output, not the log files: the log's last lines say why it died.
    process.stderr.write(`[test system] ${name} exited unexpectedly (code ${code}, signal ${signal}); log: ${logFile}; its last lines:\n${logTail(logFile)}\n`);
  });
  return child;
}

/** HAProxy on the system's public ports in front of the copies (infra/instances.ts), in the foreground. */
function spawnBalancer(instances: readonly Instance[], publicPort: (service: ServiceSpec) => number, logDir: string): ChildProcess {
  const config = path.join(logDir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig({ publicPort, instances }));
  const logFile = path.join(logDir, 'haproxy.log');
  const log = openSync(logFile, 'a');
  try {
    return watched('haproxy', spawn('haproxy', ['-f', config], { stdio: ['ignore', log, log] }), logFile);
  } finally {
    closeSync(log);
  }
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
  /** The name of each process, same order: the service's, or with copies `booking-2` and `haproxy`. */
  services: string[];
  /** Each service process: its service, name and ports (with copies, one per copy). */
  instances: Instance[];
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
  /**
   * Copies of every started service (default 1). From 2, each copy runs on ports of its own and
   * HAProxy serves the public ones (`serviceUrls`, `gatewayUrl`), as `npm run start:scaled`.
   */
  copies?: number;
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
    ADMISSION_PASS_SECRET: randomBytes(32).toString('hex'),
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
  const copies = options.copies ?? 1;
  const publicPort = (service: ServiceSpec) => ports.get(service.name)!;
  const instances: Instance[] = [];
  for (const service of started) {
    if (copies === 1) instances.push({ service, name: service.name, port: publicPort(service), metricsPort: metricsPorts.get(service.name)! });
    else for (let i = 1; i <= copies; i++) instances.push({ service, name: `${service.name}-${i}`, port: await freePort(), metricsPort: await freePort() });
  }
  const serviceUrls: Record<string, string> = Object.fromEntries(started.map((service) => [service.name, `http://127.0.0.1:${publicPort(service)}`]));
  const processes: ChildProcess[] = [];
  const names: string[] = [];
  if (copies > 1) {
    processes.push(spawnBalancer(instances, publicPort, logDir));
    names.push('haproxy');
  }
  for (const instance of instances) {
    processes.push(spawnWatched(instance, { ...process.env, ...env, ...(copies > 1 ? instanceEnv(instance) : {}) }, path.join(logDir, `${instance.name}.log`)));
    names.push(instance.name);
  }
  const instanceUrl = (instance: Instance) => `http://127.0.0.1:${instance.port}`;
  try {
    await Promise.all(
      instances.map((instance) =>
        waitUntilReady(instanceUrl(instance), 90_000, processes[names.indexOf(instance.name)]).catch((error: unknown) => {
          throw new Error(`${(error as Error).message} (log: ${path.join(logDir, `${instance.name}.log`)})`);
        }),
      ),
    );
    // With copies, through the balancer too: it answers once it has seen a copy ready.
    if (copies > 1) await Promise.all(Object.values(serviceUrls).map((url) => waitUntilReady(url, 30_000, processes[0])));
  } catch (error) {
    await stopIsolatedSystem({ runId, processes, env, keepData: false });
    throw error;
  }
  return { runId, gatewayUrl: `${serviceUrls['gateway']}/graphql`, serviceUrls, env, processes, logDir, services: names, instances };
}

/**
 * Stops one service of a running system (SIGTERM, as an orchestrator would), runs `whileDown`,
 * then starts it again with the same environment and waits until it is ready.
 */
export async function restartService(system: IsolatedSystem, name: string, whileDown: () => Promise<void> = async () => undefined): Promise<void> {
  const index = system.services.indexOf(name);
  const instance = system.instances.find((candidate) => candidate.name === name);
  const child = system.processes[index];
  if (index < 0 || !instance || !child) throw new Error(`${name} is not running in this system`);
  await stopProcess(child);
  try {
    await whileDown();
  } finally {
    // Started again even when `whileDown` failed, so one failing test does not take the service from the next.
    const copy = instance.name !== instance.service.name ? instanceEnv(instance) : {};
    const restarted = spawnWatched(instance, { ...process.env, ...system.env, ...copy }, path.join(system.logDir, `${name}.log`));
    system.processes[index] = restarted;
    await waitUntilReady(`http://127.0.0.1:${instance.port}`, 90_000, restarted);
  }
}

/**
 * SIGKILL one process of a running system (a crash: no drain, no goodbye to its sockets), resolved
 * once it is gone. It stays down; restartService(system, name) brings it back.
 */
export async function killService(system: IsolatedSystem, name: string): Promise<void> {
  const child = system.processes[system.services.indexOf(name)];
  if (!child) throw new Error(`${name} is not running in this system`);
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
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
  const redis = createRedis(system.env['REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
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
  await deleteRunTopics(system.env);
}

/**
 * The run's Kafka topics (its prefix, dead-letter topics included). Left behind, a day of runs
 * on one stack grew to 20,000 partitions, and the broker shut itself down when it ran out of
 * file descriptors. Best effort: a broker that is down has nothing to clean.
 */
async function deleteRunTopics(env: Record<string, string>): Promise<void> {
  const prefix = env['KAFKA_TOPIC_PREFIX'];
  if (!prefix) return;
  const admin = new Kafka({ clientId: 'test-cleanup', brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch {
    // nothing to clean, or nobody to ask
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
