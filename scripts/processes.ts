/**
 * Starts, stops and lists the system's processes for local use (`npm start` / `npm stop`):
 * each service detached, with a pid file in .run/pids and a JSON log in .run/logs.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { metricsUrl, ROOT, SERVICES, spawnService, waitUntilReady, type ServiceSpec } from '../infra/services';

const RUN_DIR = path.join(ROOT, '.run');
const pidFile = (service: ServiceSpec) => path.join(RUN_DIR, 'pids', `${service.name}.pid`);
const logFile = (service: ServiceSpec) => path.join(RUN_DIR, 'logs', `${service.name}.log`);
const portOf = (service: ServiceSpec) => Number(process.env[service.portVar] ?? service.port);
const baseUrl = (service: ServiceSpec) => `http://127.0.0.1:${portOf(service)}`;

function runningPid(service: ServiceSpec): number | null {
  if (!existsSync(pidFile(service))) return null;
  const pid = Number(readFileSync(pidFile(service), 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    rmSync(pidFile(service), { force: true });
    return null;
  }
}

async function start() {
  mkdirSync(path.join(RUN_DIR, 'pids'), { recursive: true });
  mkdirSync(path.join(RUN_DIR, 'logs'), { recursive: true });
  for (const service of SERVICES) {
    if (runningPid(service)) {
      console.log(`[app] ${service.name.padEnd(8)} already running  ${baseUrl(service)}  metrics ${metricsUrl(service, process.env)}`);
      continue;
    }
    const child = spawnService(service, process.env, logFile(service), true);
    child.unref();
    writeFileSync(pidFile(service), String(child.pid));
    try {
      await waitUntilReady(baseUrl(service), 90_000, child);
    } catch (error) {
      const tail = readFileSync(logFile(service), 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${service.name} did not become ready: ${(error as Error).message}\n--- ${logFile(service)} ---\n${tail}`);
    }
    console.log(`[app] ${service.name.padEnd(8)} ready            ${baseUrl(service)}  metrics ${metricsUrl(service, process.env)}  (log: ${path.relative(ROOT, logFile(service))})`);
  }
}

async function stop() {
  // Gateway first so no new work reaches the subgraphs while they drain.
  for (const service of [...SERVICES].reverse()) {
    const pid = runningPid(service);
    if (!pid) continue;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (runningPid(service) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (runningPid(service)) process.kill(pid, 'SIGKILL');
    rmSync(pidFile(service), { force: true });
    console.log(`[app] ${service.name.padEnd(8)} stopped`);
  }
}

/** Foreground mode for containers: all services as children; SIGTERM stops them gateway-first. */
async function run() {
  mkdirSync(path.join(RUN_DIR, 'logs'), { recursive: true });
  const children = SERVICES.map((service) => ({ service, child: spawnService(service, process.env, '/dev/stdout') }));
  for (const { service, child } of children) await waitUntilReady(baseUrl(service), 90_000, child);
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
  for (const service of SERVICES) {
    const pid = runningPid(service);
    console.log(`[app] ${service.name.padEnd(8)} ${pid ? `running (pid ${pid})` : 'stopped'}  ${baseUrl(service)}  metrics ${metricsUrl(service, process.env)}`);
  }
}

const command = process.argv[2];
const actions: Record<string, () => unknown> = { start, stop, status, run };
const action = command ? actions[command] : undefined;
if (!action) {
  console.error('usage: processes.ts start|stop|status|run');
  process.exit(2);
}
Promise.resolve(action()).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
