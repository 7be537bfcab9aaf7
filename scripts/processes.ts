/**
 * Starts, stops and lists the system's processes for local use (`npm start` / `npm stop`):
 * each service detached, with a pid file in .run/pids and a JSON log in .run/logs.
 *
 * SCALE=N (N ≥ 2, `npm run start:scaled`): N copies of every process, each on its own port
 * (infra/instances.ts), and HAProxy on the public ports in front of them, so clients and the
 * processes themselves use the same URLs as with one copy.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { haproxyConfig, instanceEnv, instancesOf, type Instance } from '../infra/instances';
import { ROOT, SERVICES, spawnService, waitUntilReady, type ServiceSpec } from '../infra/services';

const RUN_DIR = path.join(ROOT, '.run');
const PID_DIR = path.join(RUN_DIR, 'pids');
const LOG_DIR = path.join(RUN_DIR, 'logs');
const HAPROXY_CONFIG = path.join(RUN_DIR, 'haproxy.cfg');
const HAPROXY_PID = 'haproxy';

const publicPort = (service: ServiceSpec) => Number(process.env[service.portVar] ?? service.port);
const publicMetricsPort = (service: ServiceSpec) => Number(process.env[service.metricsPortVar] ?? service.metricsPort);
const pidFile = (name: string) => path.join(PID_DIR, `${name}.pid`);
const logFile = (name: string) => path.join(LOG_DIR, `${name}.log`);

function scale(): number {
  const value = Number(process.env['SCALE'] ?? '1');
  if (!Number.isInteger(value) || value < 1 || value > 9) throw new Error(`SCALE must be a whole number from 1 to 9, got ${process.env['SCALE']}`);
  return value;
}

/** What runs: one process per service on its public port, or SCALE copies of each behind HAProxy. */
function plan(copies: number): Instance[] {
  if (copies === 1) return SERVICES.map((service) => ({ service, name: service.name, port: publicPort(service), metricsPort: publicMetricsPort(service) }));
  return SERVICES.flatMap((service) => instancesOf(service, copies, { port: publicPort, metricsPort: publicMetricsPort }));
}

function runningPid(name: string): number | null {
  if (!existsSync(pidFile(name))) return null;
  const pid = Number(readFileSync(pidFile(name), 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    rmSync(pidFile(name), { force: true });
    return null;
  }
}

/** Every pid file's name, running or not: what `stop` must end whatever SCALE started it. */
const recordedNames = () => (existsSync(PID_DIR) ? readdirSync(PID_DIR).filter((file) => file.endsWith('.pid')).map((file) => file.slice(0, -4)) : []);

/** HAProxy on the public ports, in front of the copies (started before them: it waits for their /ready). */
async function startBalancer(instances: readonly Instance[]) {
  writeFileSync(HAPROXY_CONFIG, haproxyConfig({ publicPort, instances }));
  if (runningPid(HAPROXY_PID)) {
    console.log(`[app] haproxy  already running  (config ${path.relative(ROOT, HAPROXY_CONFIG)})`);
    return;
  }
  const check = spawn('haproxy', ['-c', '-q', '-f', HAPROXY_CONFIG], { stdio: 'inherit' });
  const valid = await new Promise<number | null>((resolve, reject) => {
    check.once('error', (error) => reject(new Error(`haproxy is not installed (infra/stack/up.sh installs it): ${error.message}`)));
    check.once('exit', resolve);
  });
  if (valid !== 0) throw new Error(`haproxy refused ${HAPROXY_CONFIG}`);
  const log = openSync(logFile(HAPROXY_PID), 'a');
  const child = spawn('haproxy', ['-f', HAPROXY_CONFIG], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(HAPROXY_PID), String(child.pid));
  console.log(`[app] haproxy  started          public ports ${SERVICES.map(publicPort).join(', ')}  (config ${path.relative(ROOT, HAPROXY_CONFIG)})`);
}

async function start() {
  mkdirSync(PID_DIR, { recursive: true });
  mkdirSync(LOG_DIR, { recursive: true });
  const copies = scale();
  const instances = plan(copies);
  if (copies > 1) await startBalancer(instances);
  for (const instance of instances) {
    const where = `http://127.0.0.1:${instance.port}  metrics http://127.0.0.1:${instance.metricsPort}/metrics`;
    if (runningPid(instance.name)) {
      console.log(`[app] ${instance.name.padEnd(9)} already running  ${where}`);
      continue;
    }
    const env = copies > 1 ? { ...process.env, ...instanceEnv(instance) } : process.env;
    const child = spawnService(instance.service, env, logFile(instance.name), true);
    child.unref();
    writeFileSync(pidFile(instance.name), String(child.pid));
    try {
      await waitUntilReady(`http://127.0.0.1:${instance.port}`, 90_000, child);
    } catch (error) {
      const tail = readFileSync(logFile(instance.name), 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${instance.name} did not become ready: ${(error as Error).message}\n--- ${logFile(instance.name)} ---\n${tail}`);
    }
    console.log(`[app] ${instance.name.padEnd(9)} ready            ${where}  (log: ${path.relative(ROOT, logFile(instance.name))})`);
  }
  if (copies > 1) {
    // Through the balancer, as clients come: proves it runs and sees a ready gateway.
    const gateway = SERVICES.find((service) => service.kind === 'gateway')!;
    await waitUntilReady(`http://127.0.0.1:${publicPort(gateway)}`, 10_000).catch((error: unknown) => {
      throw new Error(`the balancer does not answer on the public port: ${(error as Error).message} (log: ${path.relative(ROOT, logFile(HAPROXY_PID))})`);
    });
  }
}

async function stopOne(name: string) {
  const pid = runningPid(name);
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (runningPid(name) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (runningPid(name)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile(name), { force: true });
  console.log(`[app] ${name.padEnd(9)} stopped`);
}

async function stop() {
  const recorded = recordedNames();
  // Gateway first so no new work reaches the subgraphs while they drain; the balancer last.
  for (const service of [...SERVICES].reverse()) {
    const ofService = recorded.filter((name) => name === service.name || name.startsWith(`${service.name}-`));
    await Promise.all(ofService.map(stopOne));
  }
  await stopOne(HAPROXY_PID);
}

/** Foreground mode for containers: all services as children; SIGTERM stops them gateway-first. */
async function run() {
  mkdirSync(LOG_DIR, { recursive: true });
  const children = SERVICES.map((service) => ({ service, child: spawnService(service, process.env, '/dev/stdout') }));
  for (const { service, child } of children) await waitUntilReady(`http://127.0.0.1:${publicPort(service)}`, 90_000, child);
  console.log('[app] all services ready');
  const stopAll = async () => {
    for (const { child } of [...children].reverse()) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stopAll());
  process.once('SIGINT', () => void stopAll());
  await Promise.race(children.map(({ child }) => new Promise((resolve) => child.once('exit', resolve))));
  console.error('[app] a service exited; stopping the rest');
  await stopAll();
}

function status() {
  const names = recordedNames();
  if (names.length === 0) console.log('[app] nothing running');
  for (const name of names.sort()) {
    const pid = runningPid(name);
    console.log(`[app] ${name.padEnd(9)} ${pid ? `running (pid ${pid})` : 'stopped'}  log: .run/logs/${name}.log`);
  }
}

const command = process.argv[2];
const actions: Record<string, () => unknown> = { start, stop, status, run };
const action = command ? actions[command] : undefined;
if (!action) {
  console.error('usage: [SCALE=N] processes.ts start|stop|status|run');
  process.exit(2);
}
Promise.resolve(action()).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
