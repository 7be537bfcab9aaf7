import type { Redis } from '@ticketing/platform';

/** CPU seconds a process has used so far, from its own Prometheus /metrics. */
export async function cpuSeconds(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = /^process_cpu_seconds_total(?:\{[^}]*\})? ([\d.e+-]+)$/m.exec(text);
  return match ? Number(match[1]) : Number.NaN;
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
}> {
  const names = Object.keys(services);
  const before = await Promise.all(names.map((name) => cpuSeconds(services[name]!)));
  const redisBefore = await redisCommandStats(redis);
  const result = await phase();
  const after = await Promise.all(names.map((name) => cpuSeconds(services[name]!)));
  const redisAfter = await redisCommandStats(redis);
  const n = Math.max(1, requests());
  const cpuMsPerRequest = Object.fromEntries(
    names.map((name, i) => [name, Math.round(((after[i]! - before[i]!) * 1000 * 1000) / n) / 1000]),
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
  };
}
