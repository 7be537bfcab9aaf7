/**
 * Idle benchmark (issue 10): the whole system started and left alone. A system with nothing to do
 * should wait to be woken; every poll shows up here as CPU, SQL transactions or Redis commands.
 *
 *   npm run bench:idle
 *   IDLE_SETTLE_SECONDS=30 IDLE_SECONDS=60 IDLE_MONITOR_SECONDS=10 npm run bench:idle
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
import { PG_ADMIN_URL } from '../../infra/services';
import { stackCpuSeconds } from '../lib/process-cost';
import { boxTicks, localPortsByPid, processTicks, TICKS_PER_SECOND } from '../lib/proc-stat';
import { writeSection } from '../lib/report';
import { idleSection, type IdleResult } from './report';

const config = z
  .object({
    /** Seconds left alone after every service is ready, before measuring (start-up work done). */
    IDLE_SETTLE_SECONDS: z.coerce.number().int().min(0).default(30),
    /** The CPU and SQL window. */
    IDLE_SECONDS: z.coerce.number().int().min(5).default(60),
    /** The Redis window, after the CPU one (MONITOR costs Redis CPU, so it stays out of the first). */
    IDLE_MONITOR_SECONDS: z.coerce.number().int().min(1).default(10),
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

/** A stack process's label for this run: its own databases by name, everyone else's lumped. */
function stackLabel(name: string, runId: string): string {
  const database = /^postgres test_(\S+)_(\w+)$/.exec(name);
  if (database) return database[1] === runId ? `postgres (${database[2]})` : 'postgres (other runs)';
  return name.startsWith('postgres ') && name !== 'postgres (server)' ? 'postgres (other databases)' : name;
}

async function main() {
  log(`starting an isolated system (all services); settle ${config.IDLE_SETTLE_SECONDS} s, measure ${config.IDLE_SECONDS} s, Redis MONITOR ${config.IDLE_MONITOR_SECONDS} s`);
  const system = await startIsolatedSystem({ label: 'idle', env: { LOG_LEVEL: 'warn' } });
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  // A crash or ^C must not leave the run's services behind.
  const stopOnSignal = () => void stopIsolatedSystem({ ...system, keepData: false }).finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  try {
    await admin.connect();
    const pids = system.processes.map((child) => child.pid!);
    log(`settling for ${config.IDLE_SETTLE_SECONDS} s`);
    await sleep(config.IDLE_SETTLE_SECONDS);

    log(`measuring for ${config.IDLE_SECONDS} s`);
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
      const label = stackLabel(name, system.runId);
      stack.set(label, (stack.get(label) ?? 0) + cpu - (stackBefore.get(name) ?? 0));
    }
    const stackPercent = [...stack]
      .map(([name, cpu]) => ({ name, percent: round((cpu * 100) / seconds) }))
      .filter((row) => row.percent > 0)
      .sort((a, b) => b.percent - a.percent);
    const transactionsPerSecond = [...commitsAfter]
      .map(([database, after]) => ({ database, perSecond: round((after - (commitsBefore.get(database) ?? after)) / seconds) }))
      .sort((a, b) => b.perSecond - a.perSecond);

    log(`Redis MONITOR for ${config.IDLE_MONITOR_SECONDS} s`);
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

    const result: IdleResult = {
      seconds: round(seconds, 1),
      settleSeconds: config.IDLE_SETTLE_SECONDS,
      monitorSeconds: config.IDLE_MONITOR_SECONDS,
      services,
      servicesTotal: round(services.reduce((sum, s) => sum + s.percent, 0)),
      stack: stackPercent,
      ownDatabasesTotal: round(stackPercent.filter((row) => /^postgres \((?!other|server)/.test(row.name)).reduce((sum, row) => sum + row.percent, 0)),
      boxPercentOfOneCore: round(((boxAfter.busy - boxBefore.busy) * 100 * os.cpus().length) / (boxAfter.total - boxBefore.total)),
      transactionsPerSecond,
      redisPerSecond: system.services.map((service) => {
        const byCommand = [...(redisCommands.get(service) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
        const total = byCommand.reduce((sum, [, n]) => sum + n, 0);
        return {
          service,
          perSecond: round(total / config.IDLE_MONITOR_SECONDS),
          commands: byCommand.map(([command, n]) => `${command} ${round(n / config.IDLE_MONITOR_SECONDS)}`).join(', '),
        };
      }),
    };
    for (const s of result.services) log(`  ${s.name.padEnd(8)} ${s.percent}% of one core`);
    log(`  services total ${result.servicesTotal}% of one core; this run's PostgreSQL backends ${result.ownDatabasesTotal}%`);
    for (const s of result.stack) log(`  ${s.name}: ${s.percent}%`);
    log(`  box ${result.boxPercentOfOneCore}% of one core (everything on the machine, ${os.cpus().length} cores)`);
    log(`  SQL transactions/s: ${result.transactionsPerSecond.map((t) => `${t.database} ${t.perSecond}`).join(', ')}`);
    for (const r of result.redisPerSecond) log(`  Redis/s ${r.service}: ${r.perSecond} (${r.commands || 'none'})`);
    writeSection('idle', idleSection(result));
    log('wrote BENCHMARKS.md');
  } finally {
    process.off('SIGINT', stopOnSignal);
    await admin.end();
    await stopIsolatedSystem({ ...system, keepData: false });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
