/**
 * Idle benchmark (issue 10): the whole system started and left alone. A system with nothing to do
 * should wait to be woken; every poll shows up here as CPU, SQL transactions or Redis commands.
 *
 *   npm run bench:idle
 *   IDLE_SETTLE_SECONDS=30 IDLE_STEADY_AFTER_SECONDS=180 IDLE_SECONDS=60 IDLE_SCRAPE_SECONDS=15 IDLE_MONITOR_SECONDS=10 npm run bench:idle
 *
 * Two windows: just after start (JIT compilation, first consumer-group joins and fetches still
 * settling) and steady, minutes later; the target is judged on the steady one, the other shows
 * what starting costs. The bench reads every /metrics as often as the local Prometheus does.
 *
 * CPU comes from the kernel (/proc/<pid>/stat of each service, /proc/stat for the box), the stack's
 * processes as the on-sale bench groups them; SQL transactions from pg_stat_database for the run's
 * own databases; Redis commands from MONITOR, attributed to a service by its client's TCP port.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { z } from 'zod';
import { startIsolatedSystem, stopIsolatedSystem } from '@ticketing/test-support';
import { SCRAPE_INTERVAL_SECONDS } from '../../infra/prometheus/scrape-config';
import { metricsUrl, PG_ADMIN_URL, SERVICES } from '../../infra/services';
import { stackCpuSeconds, stackLabel } from '../lib/process-cost';
import { boxTicks, localPortsByPid, processTicks, TICKS_PER_SECOND } from '../lib/proc-stat';
import { writeSection } from '../lib/report';
import { idleSection, type IdleResult, type IdleWindow } from './report';

const config = z
  .object({
    /** Seconds left alone after every service is ready before the first window ("just started"). */
    IDLE_SETTLE_SECONDS: z.coerce.number().int().min(0).default(30),
    /** Seconds after ready when the second window ("steady") starts: start-up work is over by then. */
    IDLE_STEADY_AFTER_SECONDS: z.coerce.number().int().min(0).default(180),
    /** Each window's length (CPU and SQL). */
    IDLE_SECONDS: z.coerce.number().int().min(5).default(60),
    /** The Redis window, after the steady one (MONITOR costs Redis CPU, so it stays out of both). */
    IDLE_MONITOR_SECONDS: z.coerce.number().int().min(1).default(10),
    /** Every service's /metrics is read this often, as `npm start`'s Prometheus does; 0 turns it off. */
    IDLE_SCRAPE_SECONDS: z.coerce.number().min(0).default(SCRAPE_INTERVAL_SECONDS),
  })
  .parse(process.env);

const log = (line: string) => console.log(`[bench:idle] ${line}`);
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Committed transactions so far, per database of the run (`test_<runId>_<name>` → name). */
async function commitsByDatabase(admin: pg.Client, runId: string): Promise<Map<string, number>> {
  const { rows } = await admin.query<{ datname: string; xact_commit: string }>(
    `SELECT datname, xact_commit::text FROM pg_stat_database WHERE datname LIKE $1`,
    [`test_${runId}_%`],
  );
  return new Map(rows.map((row) => [row.datname.slice(`test_${runId}_`.length), Number(row.xact_commit)]));
}

/**
 * Reads every service's /metrics every `seconds`, as the local Prometheus scrapes `npm start`'s
 * processes (infra/prometheus/scrape-config.ts): being watched is part of what an idle system
 * costs (each scrape renders the registry and asks Kafka for the consumer groups' lag).
 */
function scrapeLikePrometheus(urls: readonly string[], seconds: number): { stop: () => void } {
  if (seconds <= 0) return { stop: () => undefined };
  const scrape = () => {
    for (const url of urls) void fetch(url).then((response) => response.text()).catch(() => undefined);
  };
  const timer = setInterval(scrape, seconds * 1000);
  scrape();
  return { stop: () => clearInterval(timer) };
}

/** One window: CPU of every service and stack process from /proc, the run's SQL commits from pg_stat_database. */
async function measureWindow(system: Awaited<ReturnType<typeof startIsolatedSystem>>, admin: pg.Client, label: string): Promise<IdleWindow> {
  const pids = system.processes.map((child) => child.pid!);
  log(`measuring "${label}" for ${config.IDLE_SECONDS} s`);
  const boxBefore = boxTicks();
  const ticksBefore = pids.map(processTicks);
  const stackBefore = stackCpuSeconds();
  const commitsBefore = await commitsByDatabase(admin, system.runId);
  const started = performance.now();
  await sleep(config.IDLE_SECONDS);
  const seconds = (performance.now() - started) / 1000;
  const ticksAfter = pids.map(processTicks);
  const stackAfter = stackCpuSeconds();
  const commitsAfter = await commitsByDatabase(admin, system.runId);
  const boxAfter = boxTicks();

  const percentOfCore = (ticks: number) => round((ticks * 100) / TICKS_PER_SECOND / seconds);
  const services = system.services.map((name, i) => ({ name, percent: percentOfCore(ticksAfter[i]! - ticksBefore[i]!) }));
  const stack = new Map<string, number>();
  for (const [name, cpu] of stackAfter) {
    const stackName = stackLabel(name, system.runId);
    stack.set(stackName, (stack.get(stackName) ?? 0) + cpu - (stackBefore.get(name) ?? 0));
  }
  const stackPercent = [...stack]
    .map(([name, cpu]) => ({ name, percent: round((cpu * 100) / seconds) }))
    .filter((row) => row.percent > 0)
    .sort((a, b) => b.percent - a.percent);
  const window: IdleWindow = {
    label,
    seconds: round(seconds, 1),
    services,
    servicesTotal: round(services.reduce((sum, s) => sum + s.percent, 0)),
    stack: stackPercent,
    ownDatabasesTotal: round(stackPercent.filter((row) => /^postgres \((?!other|server)/.test(row.name)).reduce((sum, row) => sum + row.percent, 0)),
    boxPercentOfOneCore: round(((boxAfter.busy - boxBefore.busy) * 100 * os.cpus().length) / (boxAfter.total - boxBefore.total)),
    transactionsPerSecond: [...commitsAfter]
      .map(([database, after]) => ({ database, perSecond: round((after - (commitsBefore.get(database) ?? after)) / seconds) }))
      .sort((a, b) => b.perSecond - a.perSecond),
  };
  for (const s of window.services) log(`  ${s.name.padEnd(8)} ${s.percent}% of one core`);
  log(`  services total ${window.servicesTotal}% of one core; this run's PostgreSQL backends ${window.ownDatabasesTotal}%`);
  for (const s of window.stack) log(`  ${s.name}: ${s.percent}%`);
  log(`  box ${window.boxPercentOfOneCore}% of one core (everything on the machine, ${os.cpus().length} cores)`);
  log(`  SQL transactions/s: ${window.transactionsPerSecond.map((t) => `${t.database} ${t.perSecond}`).join(', ')}`);
  return window;
}

/** Redis commands per second by service, from MONITOR, attributed by each client's local port. */
async function redisByService(system: Awaited<ReturnType<typeof startIsolatedSystem>>): Promise<IdleResult['redisPerSecond']> {
  log(`Redis MONITOR for ${config.IDLE_MONITOR_SECONDS} s`);
  const pids = system.processes.map((child) => child.pid!);
  const owners = localPortsByPid(6379, pids);
  const serviceOfPid = new Map(pids.map((pid, i) => [pid, system.services[i]!]));
  const redisCommands = new Map<string, Map<string, number>>();
  // redis-cli's MONITOR lines: `<time> [<db> <client addr>] "<command>" "<arg>" ...`.
  const monitor = spawn('redis-cli', ['-u', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', 'monitor'], { stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: monitor.stdout }).on('line', (line) => {
    const match = /^\S+ \[\d+ [^\]]*:(\d+)\] "([^"]+)"/.exec(line);
    const pid = match ? owners.get(Number(match[1])) : undefined;
    const service = pid === undefined ? undefined : serviceOfPid.get(pid);
    if (!service) return; // another run's client, a Lua script's own calls, or this bench's
    const byCommand = redisCommands.get(service) ?? new Map<string, number>();
    const command = match![2]!.toLowerCase();
    byCommand.set(command, (byCommand.get(command) ?? 0) + 1);
    redisCommands.set(service, byCommand);
  });
  await sleep(config.IDLE_MONITOR_SECONDS);
  monitor.kill();
  const rows = system.services.map((service) => {
    const byCommand = [...(redisCommands.get(service) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const total = byCommand.reduce((sum, [, n]) => sum + n, 0);
    return {
      service,
      perSecond: round(total / config.IDLE_MONITOR_SECONDS),
      commands: byCommand.map(([command, n]) => `${command} ${round(n / config.IDLE_MONITOR_SECONDS)}`).join(', '),
    };
  });
  for (const r of rows) log(`  Redis/s ${r.service}: ${r.perSecond} (${r.commands || 'none'})`);
  return rows;
}

async function main() {
  if (config.IDLE_STEADY_AFTER_SECONDS < config.IDLE_SETTLE_SECONDS + config.IDLE_SECONDS) {
    throw new Error('IDLE_STEADY_AFTER_SECONDS must leave room for the first window (IDLE_SETTLE_SECONDS + IDLE_SECONDS)');
  }
  log(
    `starting an isolated system (all services); windows ${config.IDLE_SETTLE_SECONDS} s and ${config.IDLE_STEADY_AFTER_SECONDS} s after ready, ` +
      `${config.IDLE_SECONDS} s each; /metrics read every ${config.IDLE_SCRAPE_SECONDS || '– (off)'} s; Redis MONITOR ${config.IDLE_MONITOR_SECONDS} s`,
  );
  const system = await startIsolatedSystem({ label: 'idle', env: { LOG_LEVEL: 'warn' } });
  const ready = performance.now();
  const sinceReady = () => (performance.now() - ready) / 1000;
  const scraper = scrapeLikePrometheus(
    system.services.map((name) => metricsUrl(SERVICES.find((service) => service.name === name)!, system.env)),
    config.IDLE_SCRAPE_SECONDS,
  );
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  // A crash or ^C must not leave the run's services behind.
  const stopOnSignal = () => void stopIsolatedSystem({ ...system, keepData: false }).finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  try {
    await admin.connect();
    log(`settling for ${config.IDLE_SETTLE_SECONDS} s`);
    await sleep(config.IDLE_SETTLE_SECONDS - sinceReady());
    const justStarted = await measureWindow(system, admin, 'just started');
    log(`waiting until ${config.IDLE_STEADY_AFTER_SECONDS} s after ready`);
    await sleep(config.IDLE_STEADY_AFTER_SECONDS - sinceReady());
    const steady = await measureWindow(system, admin, 'steady');
    const result: IdleResult = {
      settleSeconds: config.IDLE_SETTLE_SECONDS,
      steadyAfterSeconds: config.IDLE_STEADY_AFTER_SECONDS,
      scrapeSeconds: config.IDLE_SCRAPE_SECONDS,
      monitorSeconds: config.IDLE_MONITOR_SECONDS,
      justStarted,
      steady,
      redisPerSecond: await redisByService(system),
    };
    writeSection('idle', idleSection(result));
    log('wrote BENCHMARKS.md');
  } finally {
    scraper.stop();
    process.off('SIGINT', stopOnSignal);
    await admin.end();
    await stopIsolatedSystem({ ...system, keepData: false });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
