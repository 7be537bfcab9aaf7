/**
 * Waiting-room benchmark (issue 3): N fans enter one schedule's queue through the gateway at
 * once; then admission runs and the end state is audited. Ceilings from the same run sit beside
 * the numbers: redis-benchmark, and a no-op mutation through the same gateway code.
 *
 *   npm run bench:queue                     # defaults below
 *   BENCH_USERS=10000 BENCH_CONCURRENCY=50 BENCH_ADMIT_RATE=500 npm run bench:queue
 *
 * It starts its own isolated system (own databases, Redis prefix, ports) next to the local stack,
 * so it never touches the data of `npm start`, and writes its section of BENCHMARKS.md.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { queueProgressSchema, realtimeChannels, type QueueProgress } from '@ticketing/contracts';
import { createRedis } from '@ticketing/platform';
import { mapLimit, startIsolatedSystem, stopIsolatedSystem } from '@ticketing/test-support';
import { noopGatewayCeiling, redisBenchmark } from '../lib/ceilings';
import { closedLoop, createPoster, type LoadResult } from '../lib/load';
import { measurePhase } from '../lib/process-cost';
import { profilesIn, summarizeProfile, topFunctions } from '../lib/profile';
import { machineLine, writeSection } from '../lib/report';
import { metricsUrl, ROOT, SERVICES } from '../../infra/services';
import path from 'node:path';

const USERS = Number(process.env['BENCH_USERS'] ?? 5000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 50);
/** A second, lighter phase: latency when the box is not saturated (closed-loop latency at 50 is queueing). */
const LATENCY_CONCURRENCY = Number(process.env['BENCH_LATENCY_CONCURRENCY'] ?? 8);
const LATENCY_USERS = Number(process.env['BENCH_LATENCY_USERS'] ?? 1000);
const ADMIT_RATE = Number(process.env['BENCH_ADMIT_RATE'] ?? 500);
const NOOP_SECONDS = Number(process.env['BENCH_NOOP_SECONDS'] ?? 10);
/** BENCH_PROFILE=1: run every process under --cpu-prof and report where CPU went (numbers not recorded). */
const PROFILE = process.env['BENCH_PROFILE'] === '1';
const COMMAND = `BENCH_USERS=${USERS} BENCH_CONCURRENCY=${CONCURRENCY} BENCH_LATENCY_USERS=${LATENCY_USERS} BENCH_LATENCY_CONCURRENCY=${LATENCY_CONCURRENCY} BENCH_ADMIT_RATE=${ADMIT_RATE} npm run bench:queue`;

const ENTER = 'mutation Enter($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { token status queueNumber position } }';

function log(message: string) {
  console.log(`[bench:queue] ${message}`);
}

async function createOpenSchedule(concertDatabaseUrl: string): Promise<string> {
  const db = new Client({ connectionString: concertDatabaseUrl });
  await db.connect();
  const concertId = randomUUID();
  const scheduleId = randomUUID();
  await db.query(`INSERT INTO concerts (id, title, artist, venue) VALUES ($1, 'Bench Night', 'Load', 'Loopback Arena')`, [concertId]);
  await db.query(
    `INSERT INTO schedules (id, concert_id, starts_at, booking_opens_at) VALUES ($1, $2, now() + interval '30 days', now() - interval '1 minute')`,
    [scheduleId, concertId],
  );
  await db.end();
  return scheduleId;
}

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Audits the admissions seen on the progress channel against the policy. */
function auditAdmissions(messages: Array<{ receivedAt: number; progress: QueueProgress }>, expected: number, rate: number) {
  const admitted = messages.flatMap(({ receivedAt, progress }) => progress.admitted.map((a) => ({ ...a, receivedAt })));
  const seen = new Set<string>();
  const duplicates = admitted.filter((a) => (seen.has(a.ticketId) ? true : (seen.add(a.ticketId), false))).length;
  let outOfOrder = 0;
  for (let i = 1; i < admitted.length; i += 1) if (admitted[i]!.queueNumber <= admitted[i - 1]!.queueNumber) outOfOrder += 1;
  // Token bucket of one second's capacity: any window of w seconds admits at most rate * (w + 1).
  let worstWindow = 0;
  let windowViolations = 0;
  for (let i = 0, j = 0; i < admitted.length; i += 1) {
    while (admitted[i]!.receivedAt - admitted[j]!.receivedAt > 1000) j += 1;
    const inWindow = i - j + 1;
    worstWindow = Math.max(worstWindow, inWindow);
    if (inWindow > rate * 2) windowViolations += 1;
  }
  const first = admitted[0]?.receivedAt ?? 0;
  const last = admitted[admitted.length - 1]?.receivedAt ?? 0;
  return {
    admitted: admitted.length,
    missing: expected - seen.size,
    duplicates,
    outOfOrder,
    worstOneSecondWindow: worstWindow,
    windowViolations,
    observedRate: last > first ? Math.round((admitted.length / ((last - first) / 1000)) * 10) / 10 : 0,
  };
}

function profileReport(dir: string, pids: number[]): string {
  const rows: string[] = [];
  SERVICES.forEach((service, i) => {
    if (service.name !== 'gateway' && service.name !== 'queue') return;
    const file = profilesIn(dir).find((f) => f.includes(`.${pids[i]}.0.`));
    if (!file) return;
    const categories = summarizeProfile(file, 8).map((c) => `${c.category} ${c.percent}%`).join(', ');
    const functions = topFunctions(file, 8).map((f) => `${f.name} ${f.percent}%`).join(', ');
    rows.push(`| ${service.name} | ${categories} | ${functions} |`);
  });
  return `## Waiting room: where the CPU goes (issue 3)

Command: \`BENCH_PROFILE=1 ${COMMAND}\` — the same scenario with every process under \`node --cpu-prof\`
(setup, ceilings, ${USERS} enters and admission), ${new Date().toISOString()}, ${machineLine()}.
Self time, as a share of each process's busy (non-idle) samples.

| process | by package | hottest functions (self time) |
|---|---|---|
${rows.join('\n')}
`;
}

async function main() {
  log(`machine: ${machineLine()}`);
  log(`starting an isolated system (users=${USERS}, concurrency=${CONCURRENCY}, admit rate=${ADMIT_RATE}/s)`);
  const profileDir = path.join(ROOT, '.run', 'bench-profiles', `${Date.now()}`);
  const system = await startIsolatedSystem({
    label: 'bench',
    env: {
      LOG_LEVEL: 'warn',
      QUEUE_MAX_ACTIVE: String(USERS + LATENCY_USERS),
      ...(PROFILE ? { CPU_PROFILE_DIR: profileDir } : {}),
    },
  });
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const listener = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  try {
    const scheduleId = await createOpenSchedule(system.env['CONCERT_DATABASE_URL']!);
    const admin = await graphql<{ logIn: { token: string } }>(
      system.gatewayUrl,
      'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }',
      { e: 'admin@ticketing.local', p: 'admin-password-change-me' },
    );
    const adminToken = admin.logIn.token;
    // Paused while fans enter, so the enter phase measures entering only.
    await graphql(
      system.gatewayUrl,
      'mutation($s: ID!, $r: Int!, $m: Int!) { setQueuePolicy(scheduleId: $s, admitsPerSecond: $r, maxActive: $m, paused: true) { paused } }',
      { s: scheduleId, r: ADMIT_RATE, m: USERS + LATENCY_USERS },
      adminToken,
    );

    const TOTAL = USERS + LATENCY_USERS;
    log(`signing up ${TOTAL} fans through the gateway (setup, not measured)`);
    const setupStarted = performance.now();
    const tokens = await mapLimit(Array.from({ length: TOTAL }), 16, async (_fan, i) => {
      const data = await graphql<{ signUp: { token: string } }>(
        system.gatewayUrl,
        'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
        { input: { email: `bench-${i}-${randomUUID()}@example.com`, password: 'bench-password', name: `Fan ${i}` } },
      );
      return data.signUp.token;
    });
    log(`  ${TOTAL} fans in ${Math.round(performance.now() - setupStarted) / 1000} s`);

    log('ceiling: redis-benchmark');
    const redisCeiling = redisBenchmark();
    log(`  SET ${redisCeiling.set}/s, GET ${redisCeiling.get}/s`);
    log(`ceiling: no-op mutation through the gateway (${NOOP_SECONDS} s, ${CONCURRENCY} connections)`);
    const noop = await noopGatewayCeiling({ env: system.env, logDir: system.logDir, seconds: NOOP_SECONDS, concurrency: CONCURRENCY });
    log(`  ${noop.perSecond}/s, p50 ${noop.latencyMs.p50} ms, p99 ${noop.latencyMs.p99} ms`);

    log(`enter: ${USERS} fans, ${CONCURRENCY} at a time, through the gateway`);
    const poster = createPoster(system.gatewayUrl, CONCURRENCY);
    const body = JSON.stringify({ query: ENTER, variables: { scheduleId } });
    const queueNumbers: Array<number | null> = new Array(USERS).fill(null);
    let sent = 0;
    const measured = await measurePhase(
      Object.fromEntries(['gateway', 'queue', 'concert'].map((name) => [name, metricsUrl(SERVICES.find((s) => s.name === name)!, system.env)])),
      redis,
      () => sent,
      () =>
        closedLoop({
          concurrency: CONCURRENCY,
          total: USERS,
          send: async (i) => {
            sent += 1;
            const response = await poster.post(body, { authorization: `Bearer ${tokens[i]}` });
            const parsed = JSON.parse(response.body) as { data?: { enterQueue?: { queueNumber: number | null } } };
            queueNumbers[i] = parsed.data?.enterQueue?.queueNumber ?? null;
            return response.status === 200 && parsed.data?.enterQueue !== undefined;
          },
        }),
    );
    const enter: LoadResult = measured.result;
    const numbers = queueNumbers.filter((n): n is number => n !== null);
    const distinct = new Set(numbers).size;
    const contiguous = distinct === USERS && Math.min(...numbers) === 1 && Math.max(...numbers) === USERS;
    log(`  ${enter.perSecond}/s, p50 ${enter.latencyMs.p50} ms, p95 ${enter.latencyMs.p95} ms, p99 ${enter.latencyMs.p99} ms, failures ${enter.failures}`);
    log(`  CPU ms per enter: ${JSON.stringify(measured.cpuMsPerRequest)}; Redis ${measured.redisCallsPerRequest} calls (${measured.redisTopCommands}), ${measured.redisUsecPerRequest} µs per enter`);

    log(`enter at moderate load: ${LATENCY_USERS} more fans, ${LATENCY_CONCURRENCY} at a time`);
    const moderate = await closedLoop({
      concurrency: LATENCY_CONCURRENCY,
      total: LATENCY_USERS,
      send: async (i) => {
        const response = await poster.post(body, { authorization: `Bearer ${tokens[USERS + i]}` });
        return response.status === 200 && response.body.includes('"enterQueue":{');
      },
    });
    log(`  ${moderate.perSecond}/s, p50 ${moderate.latencyMs.p50} ms, p95 ${moderate.latencyMs.p95} ms, p99 ${moderate.latencyMs.p99} ms, failures ${moderate.failures}`);
    poster.close();
    log(`admission: resume at ${ADMIT_RATE}/s and audit every admission on the progress channel`);
    const messages: Array<{ receivedAt: number; progress: QueueProgress }> = [];
    const channel = realtimeChannels.queueProgress(system.env['REDIS_KEY_PREFIX']!, scheduleId);
    listener.on('message', (_channel: string, raw: string) => {
      const parsed = queueProgressSchema.safeParse(JSON.parse(raw));
      if (parsed.success) messages.push({ receivedAt: performance.now(), progress: parsed.data });
    });
    await listener.subscribe(channel);
    await graphql(system.gatewayUrl, 'mutation($s: ID!) { resumeQueue(scheduleId: $s) { paused } }', { s: scheduleId }, adminToken);
    const deadline = performance.now() + ((TOTAL / ADMIT_RATE) * 1.5 + 15) * 1000;
    const admittedSoFar = () => messages.reduce((sum, m) => sum + m.progress.admitted.length, 0);
    while (admittedSoFar() < TOTAL && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const audit = auditAdmissions(messages, TOTAL, ADMIT_RATE);
    log(`  ${JSON.stringify(audit)}`);

    if (PROFILE) {
      await stopIsolatedSystem({ ...system, keepData: false });
      writeSection('queue-profile', profileReport(profileDir, system.processes.map((p) => p.pid!)));
      log('wrote the CPU profile breakdown to BENCHMARKS.md (throughput not recorded: profiling slows it)');
      return;
    }
    const ratio = Math.round((enter.perSecond / noop.perSecond) * 100);
    const clean =
      contiguous && audit.missing === 0 && audit.duplicates === 0 && audit.outOfOrder === 0 && audit.windowViolations === 0 && enter.failures === 0 && moderate.failures === 0;
    writeSection(
      'queue',
      `## Waiting room: entering the queue (issue 3)

Command: \`${COMMAND}\` — measured ${new Date().toISOString()} on ${machineLine()}, with the whole
system (five subgraphs, gateway, PostgreSQL, Redis, Kafka, FerretDB) and the load generator on the box.

| measure | value |
|---|---|
| enters through the gateway | **${enter.perSecond}/s** (${enter.requests} fans, ${CONCURRENCY} concurrent, ${enter.seconds} s, ${enter.failures} failures) |
| enter latency p50 / p95 / p99 / max, saturated (${CONCURRENCY} concurrent) | ${enter.latencyMs.p50} / ${enter.latencyMs.p95} / ${enter.latencyMs.p99} / ${enter.latencyMs.max} ms |
| enter latency p50 / p95 / p99 / max, moderate load (${LATENCY_CONCURRENCY} concurrent, ${moderate.perSecond}/s) | ${moderate.latencyMs.p50} / ${moderate.latencyMs.p95} / ${moderate.latencyMs.p99} / ${moderate.latencyMs.max} ms (target p99 < 50 ms) |
| ceiling: no-op mutation through the same gateway | ${noop.perSecond}/s (p50 ${noop.latencyMs.p50} ms, p99 ${noop.latencyMs.p99} ms) |
| enters as a share of the no-op ceiling | **${ratio}%** (target ≥ 70%) |
| ceiling: \`${redisCeiling.command}\` | SET ${redisCeiling.set}/s, GET ${redisCeiling.get}/s |
| CPU per enter (ms, by process) | ${Object.entries(measured.cpuMsPerRequest).map(([k, v]) => `${k} ${v}`).join(', ')} |
| Redis per enter | ${measured.redisCallsPerRequest} commands (${measured.redisTopCommands}), ${measured.redisUsecPerRequest} µs of Redis time (commands inside Lua scripts count one by one; an enter is one script call plus one ZADD) |
| queue numbers | ${distinct} distinct of ${USERS}${contiguous ? ', exactly 1…N' : ' — NOT contiguous'} |
| admission audit at ${ADMIT_RATE}/s | ${audit.admitted} admitted, ${audit.missing} missing, ${audit.duplicates} twice, ${audit.outOfOrder} out of order, busiest 1 s window ${audit.worstOneSecondWindow} (bound ${ADMIT_RATE * 2}), observed ${audit.observedRate}/s |
| invariants | ${clean ? 'clean' : '**VIOLATED** — see the numbers above'} |
`,
    );
    log(`wrote BENCHMARKS.md (invariants ${clean ? 'clean' : 'VIOLATED'})`);
    if (!clean) process.exitCode = 1;
  } finally {
    listener.disconnect();
    redis.disconnect();
    await stopIsolatedSystem({ ...system, keepData: false });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
