/**
 * Request-cost benchmark (issue 10): what one query costs, in CPU of every process, through
 * the gateway. `{ __typename }` is answered by the gateway alone; `{ me { id } }` adds one fetch
 * to the user subgraph (its HTTP server, Apollo pipeline, token check and one PostgreSQL read);
 * a seeded schedule's seat map is one fetch to concert that resolves 720 fields.
 * Each is measured without a profiler, then profiled separately to say where the time goes.
 *
 *   npm run bench:requests
 *   BENCH_REQUESTS=4000 BENCH_CONCURRENCY=16 npm run bench:requests
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createRedis } from '@ticketing/platform';
import { signUpFan, startIsolatedSystem, stopIsolatedSystem, useTestSystem } from '@ticketing/test-support';
import { metricsUrl, ROOT, SERVICES } from '../../infra/services';
import { INSPECTABLE_ENV, profilePhase } from '../lib/inspector-profile';
import { createPoster, summarize, type LatencySummary } from '../lib/load';
import { measurePhase } from '../lib/process-cost';
import { summarizeProfile, topFunctions } from '../lib/profile';
import { machineLine, writeSection } from '../lib/report';

const config = z
  .object({
    BENCH_REQUESTS: z.coerce.number().int().min(100).default(4_000),
    BENCH_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  })
  .parse(process.env);

const log = (line: string) => console.log(`[bench:requests] ${line}`);
/** A seeded demo schedule (subgraphs/concert/src/seed.ts): 120 seats, six fields each through the gateway. */
const DEMO_SCHEDULE = '5c4ed000-0000-4000-8000-000000000011';
/**
 * Each query, and the subgraph whose CPU is measured beside the gateway's. The two `direct` rows
 * post to the user subgraph itself, no gateway: what any request costs its HTTP server and
 * Apollo's pipeline, against what `me` adds (the token check and the read). They say why the
 * user subgraph's share of `{ me { id } }` is what it is.
 */
const QUERIES = {
  typename: { query: '{ __typename }', subgraph: 'user', direct: false },
  me: { query: '{ me { id } }', subgraph: 'user', direct: false },
  seatMap: { query: `{ schedule(id: "${DEMO_SCHEDULE}") { seats { id section row number price status } } }`, subgraph: 'concert', direct: false },
  userTypename: { query: '{ __typename }', subgraph: 'user', direct: true },
  userMe: { query: '{ me { id } }', subgraph: 'user', direct: true },
} as const;
type QueryName = keyof typeof QUERIES;
type Measured = { cpu: Record<string, number>; perSecond: number; latencyMs: LatencySummary; profiles: Record<string, string> };

/** `requests` POSTs of one query, `concurrency` in flight, every answer checked. */
async function run(url: string, token: string, query: string): Promise<{ perSecond: number; latencyMs: LatencySummary }> {
  const poster = createPoster(url, config.BENCH_CONCURRENCY);
  const body = JSON.stringify({ query });
  const samples: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: config.BENCH_CONCURRENCY }, async () => {
        while (next < config.BENCH_REQUESTS) {
          next += 1;
          const at = process.hrtime.bigint();
          const answer = await poster.post(body, { authorization: `Bearer ${token}` });
          if (answer.status !== 200 || answer.body.includes('"errors"')) throw new Error(`${query} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
          samples.push(Number(process.hrtime.bigint() - at) / 1e6);
        }
      }),
    );
  } finally {
    poster.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(config.BENCH_REQUESTS / seconds), latencyMs: summarize(samples) };
}

async function main() {
  log(`machine: ${machineLine()}; load average ${os.loadavg()[0]!.toFixed(2)}`);
  const profileDir = path.join(ROOT, '.run', 'bench-profiles', `requests-${Date.now()}`);
  mkdirSync(profileDir, { recursive: true });
  const system = await startIsolatedSystem({ label: 'benchreq', env: { LOG_LEVEL: 'warn', ...INSPECTABLE_ENV } });
  useTestSystem(system);
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  try {
    const measured = ['gateway', 'user', 'concert'] as const;
    const services = Object.fromEntries(measured.map((name) => [name, metricsUrl(SERVICES.find((service) => service.name === name)!, system.env)]));
    const processes = measured.map((name) => ({ name, pid: system.processes[system.services.indexOf(name)]!.pid!, logFile: path.join(system.logDir, `${name}.log`) }));
    const fan = await signUpFan('Bench fan');
    const results = {} as Record<QueryName, Measured>;
    for (const name of Object.keys(QUERIES) as QueryName[]) {
      const { query, subgraph, direct } = QUERIES[name];
      const url = direct ? system.env[SERVICES.find((service) => service.name === subgraph)!.urlVar]! : system.gatewayUrl;
      const inRun = (process: string) => process === subgraph || (process === 'gateway' && !direct);
      log(`warm-up: ${query}${direct ? ` straight to ${subgraph}` : ''}`);
      await run(url, fan.token, query);
      log(`measuring ${config.BENCH_REQUESTS} × ${query}, ${config.BENCH_CONCURRENCY} in flight`);
      const measuredServices = Object.fromEntries(Object.entries(services).filter(([process]) => inRun(process)));
      const { result, cpuMsPerRequest } = await measurePhase(measuredServices, redis, () => config.BENCH_REQUESTS, () => run(url, fan.token, query));
      log(`  ${result.perSecond}/s, p50 ${result.latencyMs.p50} ms; CPU per request ${JSON.stringify(cpuMsPerRequest)} ms`);
      log(`profiling ${query}`);
      const { files } = await profilePhase(processes.filter((process) => inRun(process.name)), profileDir, name, () => run(url, fan.token, query));
      results[name] = { cpu: cpuMsPerRequest, perSecond: result.perSecond, latencyMs: result.latencyMs, profiles: files };
    }
    writeSection('requests', report(results));
    log('wrote BENCHMARKS.md');
  } finally {
    redis.disconnect();
    await stopIsolatedSystem(system);
  }
}

function report(results: Record<QueryName, Measured>): string {
  const total = (name: QueryName) => Object.values(results[name].cpu).reduce((a, b) => a + b, 0);
  const row = (name: QueryName) => {
    const { query, subgraph, direct } = QUERIES[name];
    const r = results[name];
    const shown = direct ? `\`${query}\` straight to the ${subgraph} subgraph` : `\`${query}\``;
    return `| ${shown} | ${direct ? '—' : r.cpu['gateway']} | ${subgraph} ${r.cpu[subgraph]} | **${total(name).toFixed(3)}** | ${r.perSecond}/s, p50 ${r.latencyMs.p50} ms |`;
  };
  const user = (name: QueryName) => results[name].cpu['user'] ?? 0;
  const where = (name: QueryName, process: string) => {
    const file = results[name].profiles[process];
    if (!file) return '(no profile)';
    const areas = summarizeProfile(file, 6).map((entry) => `${entry.category} ${entry.percent}%`).join(', ');
    const functions = topFunctions(file, 6).map((entry) => `${entry.name} ${entry.percent}%`).join(', ');
    return `${areas}. Top functions: ${functions}`;
  };
  return [
    '## Requests: a gateway-only query against subgraph fetches (issue 10)',
    '',
    `Command: \`BENCH_REQUESTS=${config.BENCH_REQUESTS} BENCH_CONCURRENCY=${config.BENCH_CONCURRENCY} npm run bench:requests\` — measured ${new Date().toISOString()} on ${machineLine()},`,
    'an isolated system of every service on the box, one signed-in fan, keep-alive connections. CPU from each process\'s own',
    '`process_cpu_seconds_total` around the phase (no profiler attached), then each query profiled in a separate run. The seat map is',
    'a seeded schedule\'s 120 seats, six fields each, answered by concert (its Redis cache) through the gateway.',
    '',
    '| query | gateway CPU ms/request | subgraph CPU ms/request | total | throughput |',
    '|---|---|---|---|---|',
    ...(Object.keys(QUERIES) as QueryName[]).map(row),
    '',
    `\`{ me { id } }\` costs ${(total('me') / Math.max(0.001, total('typename'))).toFixed(2)}× \`{ __typename }\` in these two processes (PostgreSQL's backend for the one read is not included).`,
    `Of that, the gateway's fetch to a subgraph is ${(results.me.cpu['gateway']! - results.typename.cpu['gateway']!).toFixed(3)} ms (its \`{ me { id } }\` less its \`{ __typename }\`).`,
    `The user subgraph spends ${user('userTypename')} ms on any request that reaches it (\`{ __typename }\` straight to it: its HTTP server and Apollo's pipeline) and ${(user('userMe') - user('userTypename')).toFixed(3)} ms more on \`me\` (the token check and the read), ${user('userMe')} ms in all straight to it, ${user('me')} ms behind the gateway.`,
    '',
    `Where the user subgraph's time goes for \`{ me { id } }\` (self time, non-idle): ${where('me', 'user')}.`,
    '',
    `Where the gateway's time goes for \`{ me { id } }\`: ${where('me', 'gateway')}.`,
    '',
    `And for \`{ __typename }\`: ${where('typename', 'gateway')}.`,
    '',
    `Where concert's time goes for the seat map: ${where('seatMap', 'concert')}.`,
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
