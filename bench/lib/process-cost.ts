import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from '@ticketing/platform';

/** A metric's samples (one per label set) in a Prometheus text exposition. */
function metricSamples(text: string, metric: string): number[] {
  return [...text.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, 'gm'))].map((match) => Number(match[1]));
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** What a process has done so far, from its own Prometheus /metrics (on its internal port). */
interface ProcessCounters {
  cpuSeconds: number;
  /** Statements its PostgreSQL pools sent, one round trip each (0 for a process without a pool). */
  pgQueries: number;
  /** Connections its PostgreSQL pools opened. */
  pgConnectionsOpened: number;
  /** Seconds its main thread spent paused for garbage collection (prom-client's nodejs_gc_duration_seconds, every kind). */
  gcSeconds: number;
}

async function processCounters(metricsUrl: string): Promise<ProcessCounters> {
  const text = await (await fetch(metricsUrl)).text();
  return {
    cpuSeconds: metricSamples(text, 'process_cpu_seconds_total')[0] ?? Number.NaN,
    pgQueries: sum(metricSamples(text, 'pg_queries_total')),
    pgConnectionsOpened: sum(metricSamples(text, 'pg_connections_opened_total')),
    gcSeconds: sum(metricSamples(text, 'nodejs_gc_duration_seconds_sum')),
  };
}

/** CPU seconds a process has used so far, from its own Prometheus /metrics (on its internal port). */
export async function cpuSeconds(metricsUrl: string): Promise<number> {
  return (await processCounters(metricsUrl)).cpuSeconds;
}

/** Redis's own accounting: total calls and microseconds per command since the last reset. */
export async function redisCommandStats(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const info = await redis.info('commandstats');
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

/**
 * Where the time of a phase went: CPU milliseconds each process spent per request, and Redis's
 * own command time, measured as differences around the phase (no profiler overhead in the numbers).
 */
export async function measurePhase<T>(
  /** Each process's name and its /metrics URL (infra/services.ts `metricsUrl`). */
  services: Record<string, string>,
  redis: Redis,
  requests: () => number,
  phase: () => Promise<T>,
): Promise<{
  result: T;
  cpuMsPerRequest: Record<string, number>;
  redisUsecPerRequest: number;
  redisCallsPerRequest: number;
  /** The commands behind those calls, busiest first: `evalsha 1.0`, ... */
  redisTopCommands: string;
  /** PostgreSQL statements (round trips) per request, by process that sent them; processes that sent none left out. */
  pgRoundTripsPerRequest: Record<string, number>;
  /** PostgreSQL connections opened per request, all processes: about 0 when pools do not churn. */
  pgConnectionsOpenedPerRequest: number;
  /** Of the CPU: milliseconds of garbage-collection pauses per request, by process (V8's helper threads not included). */
  gcMsPerRequest: Record<string, number>;
}> {
  const names = Object.keys(services);
  const before = await Promise.all(names.map((name) => processCounters(services[name]!)));
  const redisBefore = await redisCommandStats(redis);
  const result = await phase();
  const after = await Promise.all(names.map((name) => processCounters(services[name]!)));
  const redisAfter = await redisCommandStats(redis);
  const n = Math.max(1, requests());
  const perRequest = (delta: number, places: number) => Math.round((delta * 10 ** places) / n) / 10 ** places;
  const cpuMsPerRequest = Object.fromEntries(names.map((name, i) => [name, perRequest((after[i]!.cpuSeconds - before[i]!.cpuSeconds) * 1000, 3)]));
  const pgRoundTripsPerRequest = Object.fromEntries(
    names.map((name, i): [string, number] => [name, perRequest(after[i]!.pgQueries - before[i]!.pgQueries, 2)]).filter(([, trips]) => trips > 0),
  );
  const gcMsPerRequest = Object.fromEntries(
    names.map((name, i): [string, number] => [name, perRequest((after[i]!.gcSeconds - before[i]!.gcSeconds) * 1000, 3)]).filter(([, ms]) => ms > 0),
  );
  const pgConnectionsOpenedPerRequest = perRequest(
    sum(names.map((_name, i) => after[i]!.pgConnectionsOpened - before[i]!.pgConnectionsOpened)),
    3,
  );
  let usec = 0;
  let calls = 0;
  const perCommand: Array<[string, number]> = [];
  for (const [command, stat] of redisAfter) {
    if (command === 'info') continue;
    const delta = stat.calls - (redisBefore.get(command)?.calls ?? 0);
    usec += stat.usec - (redisBefore.get(command)?.usec ?? 0);
    calls += delta;
    if (delta > 0) perCommand.push([command, delta / n]);
  }
  const redisTopCommands = perCommand
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([command, perRequest]) => `${command} ${perRequest.toFixed(2)}`)
    .join(', ');
  return {
    result,
    cpuMsPerRequest,
    redisUsecPerRequest: Math.round((usec / n) * 10) / 10,
    redisCallsPerRequest: Math.round((calls / n) * 10) / 10,
    redisTopCommands,
    pgRoundTripsPerRequest,
    pgConnectionsOpenedPerRequest,
    gcMsPerRequest,
  };
}

/** Who a stack process works for: `postgres <database>` for a backend, else the server's name. */
function stackProcessName(comm: string, cmdline: string): string | undefined {
  if (comm === 'postgres') {
    // A backend's title is "postgres: <user> <database> <client> <state>"; auxiliary processes
    // (checkpointer, WAL writer, ...) and the postmaster, which inherits exited backends' time, stay unattributed.
    const backend = /^postgres: \S+ (\S+) \S+\(\d+\)/.exec(cmdline);
    return backend ? `postgres ${backend[1]}` : 'postgres (server)';
  }
  if (comm === 'redis-server') return 'redis';
  if (comm === 'ferretdb') return 'ferretdb';
  if (comm === 'java' && cmdline.includes('kafka')) return 'kafka';
  // The balancer in front of the copies of a scaled run (BENCH_COPIES); absent otherwise.
  if (comm === 'haproxy') return 'haproxy';
  return undefined;
}

/**
 * CPU seconds used so far by the stack's own processes (PostgreSQL, Redis, Kafka, FerretDB), from
 * /proc, grouped as above. Counts user+system time plus reaped children, so a backend that exits
 * mid-phase moves to `postgres (server)` instead of vanishing. Linux only; empty elsewhere.
 * Anything else using the same stack (another run's tests) is counted too.
 */
export function stackCpuSeconds(): Map<string, number> {
  const ticks = 100; // USER_HZ: 100 on every Linux architecture this runs on
  const totals = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return totals;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = stackProcessName(comm, readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
      if (!name) continue;
      // After the command: state is field 3, so utime/stime/cutime/cstime (14-17) sit at 11-14.
      const used = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / ticks;
      totals.set(name, (totals.get(name) ?? 0) + used);
    } catch {
      // The process ended between listing and reading: its time is in its parent's children now.
    }
  }
  return totals;
}

/** Names a stack process (stackCpuSeconds) for a run's report: this run's databases by their subgraph, anyone else's lumped. */
export function stackLabel(name: string, runId: string): string {
  const database = /^postgres test_(\S+)_(\w+)$/.exec(name);
  if (database) return database[1] === runId ? `postgres (${database[2]})` : 'postgres (other runs)';
  return name.startsWith('postgres ') && name !== 'postgres (server)' ? 'postgres (other databases)' : name;
}
