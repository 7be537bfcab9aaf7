/**
 * One fault, one on-sale: a fresh isolated system on the fault stack, the on-sale bench's
 * schedule, fans and waiting room (bench/onsale/setup.ts), a first wave of holds, then holds of a
 * second wave and payments of the first in flight when the fault hits; then every fan carries on
 * as an app would (retrying with the same key, looking under "My bookings" for a hold whose
 * answer was lost) and the end state is checked: recovery time, the on-sale audit
 * (bench/onsale/audit.ts), every booking terminal or not, every waiting-room place, the event
 * store (history:verify, as the on-sale bench runs it) and the dead-letter topics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { gql, killService, mapLimit, restartService, startIsolatedSystem, stopIsolatedSystem, type IsolatedSystem } from '@ticketing/test-support';
import { audit, waitForSettle, type AuditResult, type Databases } from '../onsale/audit';
import { auditHistory, type HistoryAudit } from '../onsale/history-audit';
import { runHoldPhase, type HeldBooking, type HoldPhaseResult } from '../onsale/hold-phase';
import { admitEveryone, createOnsaleSchedule, logInAdmin, signUpFans, type Fan } from '../onsale/setup';
import { createCaller, findUnreportedHolds, payAll, probe, readTicket, untilAnswered, type PaidBooking, type TicketState } from './client';
import { log, type FaultName, type FaultsConfig } from './config';
import { killStackProcess, readTopic, stackTopics, stackUpAsync, stopPostgresImmediately, type FaultStack } from './stack';

const SERVICE_FAULTS = new Set<FaultName>(['booking', 'payment', 'concert', 'queue', 'history', 'gateway']);
const TERMINAL = new Set(['CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED']);
const HOLD_TRIES = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

export interface DeadLetterSeen {
  topic: string;
  partition: string;
  offset: string;
  key: string;
  reason: string;
  consumer: string;
  eventType: string;
}

export interface TicketLoss {
  fan: number;
  before: TicketState;
  after: TicketState | { code: string };
}

export interface RoundResult {
  fault: FaultName;
  /** What was done, exactly. */
  action: string;
  inFlight: string;
  /** Fault → the killed process answers again (ready, or up.sh done). */
  backSeconds: number | null;
  /** Fault → the first probe through the gateway that every subgraph answered without an error. */
  answersSeconds: number | null;
  /** Fault → every booking of the on-sale terminal and the catalog agreeing with the claims (null: not within the settle time). */
  settledSeconds: number | null;
  /** Fault → the last payment left the load generator (what the settle time includes of the load itself). */
  lastPaymentSeconds: number | null;
  probeErrors: Record<string, number>;
  holds: { waveA: HoldPhaseResult; waveB: HoldPhaseResult };
  payRetries: Record<string, number>;
  payAnswers: Record<string, number>;
  unreportedHolds: number;
  audit: AuditResult;
  bookings: Record<string, number>;
  nonTerminal: Array<{ id: string; status: string; heldUntil: string | null; updatedAt: string | null }>;
  tickets: { checked: number; lost: TicketLoss[]; changed: TicketLoss[]; waitingBefore: number; waitingAfter: number };
  history: HistoryAudit | string;
  deadLetters: DeadLetterSeen[];
  /** Error-level lines in each service's log during the round. */
  errorLines: Record<string, number>;
  errorSamples: string[];
  runId: string;
  logDir: string;
}

function assertIsolated(system: IsolatedSystem, stack: FaultStack): void {
  const env = { ...process.env, ...system.env };
  const checks: Array<[string, number]> = [
    ['REDIS_URL', stack.ports.redis],
    ['KAFKA_BROKERS', stack.ports.kafka],
    ['EVENT_STORE_URL', stack.ports.ferretdb],
    ['PG_ADMIN_URL', stack.ports.postgres],
    ...['USER', 'CONCERT', 'QUEUE', 'BOOKING', 'PAYMENT'].map((db): [string, number] => [`${db}_DATABASE_URL`, stack.ports.postgres]),
  ];
  for (const [name, port] of checks) {
    if (!env[name]?.includes(`127.0.0.1:${port}`)) throw new Error(`${name}=${env[name]} does not point at the fault stack (:${port}); refusing to inject faults`);
  }
}

async function scheduleBookings(dbs: Databases, scheduleId: string) {
  const db = new Client({ connectionString: dbs.booking });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; status: string; held_until: Date | null; updated_at: Date | null }>(
      `SELECT id, status, held_until, updated_at FROM bookings WHERE schedule_id = $1`,
      [scheduleId],
    );
    return rows;
  } finally {
    await db.end();
  }
}

const countBy = (rows: ReadonlyArray<{ status: string }>) => {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
};
const describe = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ') || 'none';

/** Waits until the round's bookings are all terminal and the catalog agrees with the claims; the time it happened, or null. */
async function settle(dbs: Databases, scheduleId: string, deadline: number): Promise<number | null> {
  while (performance.now() < deadline) {
    try {
      const quick = await waitForSettle(dbs, 0.25);
      const open = (await scheduleBookings(dbs, scheduleId)).filter((row) => !TERMINAL.has(row.status)).length;
      if (quick < 0.25 && open === 0) return performance.now();
    } catch {
      // PostgreSQL may still be coming back.
    }
    await sleep(250);
  }
  return null;
}

async function deadLetters(stack: FaultStack, prefix: string): Promise<DeadLetterSeen[]> {
  const topics = (await stackTopics(stack)).filter((topic) => topic.startsWith(prefix) && topic.endsWith('.dlq'));
  const seen: DeadLetterSeen[] = [];
  for (const topic of topics) {
    for (const line of await readTopic(stack, topic)) {
      const [partition = '', offset = '', key = '', headers = ''] = line.split('\t');
      const header = (name: string) => new RegExp(`(?:^|,)${name}=([^,]*)`).exec(headers)?.[1] ?? '';
      seen.push({ topic, partition, offset, key, reason: header('dlq-reason'), consumer: header('dlq-consumer'), eventType: header('event-type') });
    }
  }
  return seen;
}

/** Error-level lines (pino's "error"/"fatal", by label or number) each service logged, and a few of them as evidence. */
function errorLines(logDir: string): { counts: Record<string, number>; samples: string[] } {
  const counts: Record<string, number> = {};
  const samples: string[] = [];
  for (const file of readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
    const lines = readFileSync(path.join(logDir, file), 'utf8').split('\n');
    const errors = lines.filter((line) => /"level":("error"|"fatal"|50|60)[,}]/.test(line));
    if (errors.length === 0) continue;
    counts[file.replace(/\.log$/, '')] = errors.length;
    for (const line of errors.slice(0, 2)) samples.push(`${file}: ${line.slice(0, 400)}`);
  }
  return { counts, samples };
}

export async function runRound(config: FaultsConfig, stack: FaultStack, fault: FaultName): Promise<RoundResult> {
  log(`── round "${fault}": starting an isolated system on the fault stack`);
  const system = await startIsolatedSystem({
    label: 'faults',
    env: {
      LOG_LEVEL: 'warn',
      QUEUE_MAX_ACTIVE: String(config.fans + config.waiters),
      QUEUE_ACTIVE_TTL_SECONDS: '3600',
      HOLD_TTL_SECONDS: '3600',
    },
  });
  const { call, close } = createCaller(system.gatewayUrl);
  try {
    assertIsolated(system, stack);
    const dbs: Databases = { booking: system.env['BOOKING_DATABASE_URL']!, payment: system.env['PAYMENT_DATABASE_URL']!, concert: system.env['CONCERT_DATABASE_URL']! };
    const { scheduleId, seats } = await createOnsaleSchedule(dbs.concert, config.seats);
    const adminToken = await logInAdmin(system.gatewayUrl);
    const signed = await signUpFans(system.gatewayUrl, config.fans + config.waiters, config.shortFraction);
    const holders = await admitEveryone(system.gatewayUrl, adminToken, scheduleId, signed.slice(0, config.fans));
    // The room pauses; the next fans queue behind it and wait there through the fault.
    const paused = await gql('mutation ($s: ID!) { pauseQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { url: system.gatewayUrl, token: adminToken });
    if (paused.errors?.length) throw new Error(`pauseQueue failed: ${JSON.stringify(paused.errors)}`);
    const waiters: Fan[] = await mapLimit(signed.slice(config.fans), 8, async (fan) => {
      const entered = await gql<{ enterQueue: { token: string } }>('mutation ($s: ID!) { enterQueue(scheduleId: $s) { token status } }', { s: scheduleId }, { url: system.gatewayUrl, token: fan.token });
      if (!entered.data) throw new Error(`enterQueue failed: ${JSON.stringify(entered.errors)}`);
      return { ...fan, queueToken: entered.data.enterQueue.token, admissionPass: null };
    });
    const everyone = [...holders, ...waiters];
    const setupDeadline = () => performance.now() + 30_000;
    const before = new Map<Fan, TicketState>();
    for (const fan of everyone) {
      const ticket = await readTicket(call, fan, setupDeadline());
      if ('code' in ticket) throw new Error(`fan ${fan.index}'s ticket unreadable before the fault: ${ticket.code}`);
      before.set(fan, ticket);
    }
    const waitingBefore = waiters.filter((fan) => before.get(fan)!.status === 'WAITING').length;
    log(`  ${holders.length} fans admitted, ${waitingBefore} of ${waiters.length} waiting behind a paused room (numbers ${waiters.map((f) => before.get(f)!.queueNumber).join(',').slice(0, 60)}…)`);

    const half = Math.ceil(holders.length / 2);
    const waveA = await runHoldPhase({ gatewayUrl: system.gatewayUrl, scheduleId, fans: holders.slice(0, half), seats, concurrency: config.concurrency, tries: HOLD_TRIES, holdWith: 'pass' });
    log(`  wave 1: ${waveA.held.length} holds of ${half} fans (${waveA.seatUnavailable} SEAT_UNAVAILABLE, other ${JSON.stringify(waveA.otherErrors)})`);
    const probeBooking = waveA.held[0]?.bookingId ?? '00000000-0000-4000-8000-000000000000';
    const baseline = await probe(call, adminToken, scheduleId, probeBooking);
    if (!baseline.data) throw new Error(`the probe fails before any fault: ${baseline.code} ${baseline.message ?? ''}`);

    // ── the in-flight phase: wave 2 holds, wave 1 pays, and the fault.
    const workDeadline = performance.now() + config.settleSeconds * 1000;
    let paySent = 0;
    let payAnswered = 0;
    let lastPaymentAt = 0;
    const onSent = () => {
      paySent += 1;
      lastPaymentAt = performance.now();
    };
    const onAnswered = () => void (payAnswered += 1);
    let waveBDone = false;
    const waveBPromise = runHoldPhase({ gatewayUrl: system.gatewayUrl, scheduleId, fans: holders.slice(half), seats, concurrency: config.concurrency, tries: HOLD_TRIES, holdWith: 'pass' }).then((r) => {
      waveBDone = true;
      return r;
    });
    const payAPromise = payAll(call, waveA.held, config.payRate, workDeadline, onSent, onAnswered);
    await sleep(config.faultAfterSeconds * 1000);

    const atFault = countBy(await scheduleBookings(dbs, scheduleId));
    const inFlight =
      `wave-2 holds ${waveBDone ? 'done' : `running (${holders.length - half} fans, ${config.concurrency} at a time)`}; ` +
      `${paySent} of ${waveA.held.length} wave-1 payments sent, ${paySent - payAnswered} awaiting an answer; bookings: ${describe(atFault)}`;
    log(`  fault "${fault}" with in flight: ${inFlight}`);

    const t0 = performance.now();
    let action = 'nothing (baseline: the same load, no fault)';
    let back: Promise<number | null> = Promise.resolve(null);
    if (SERVICE_FAULTS.has(fault)) {
      const pid = system.processes[system.services.indexOf(fault)]?.pid;
      await killService(system, fault);
      action = `SIGKILL ${fault} (pid ${pid}), then started again with the same environment`;
      back = restartService(system, fault).then(() => performance.now() - t0);
    } else if (fault === 'kafka' || fault === 'redis') {
      const pid = await killStackProcess(stack, fault);
      action = `SIGKILL the fault stack's ${fault} (pid ${pid} from run/${fault}.pid), then \`up.sh --only ${fault}\`${fault === 'redis' ? ' (restarts from its append-only file)' : ''}`;
      back = stackUpAsync(stack, [fault]).then(() => performance.now() - t0);
    } else if (fault === 'postgres') {
      const how = await stopPostgresImmediately(stack);
      action = `\`${how}\`, then \`up.sh --only postgres\``;
      back = stackUpAsync(stack, ['postgres']).then(() => performance.now() - t0);
    }
    const backFailed = back.catch((error: unknown) => {
      log(`  bringing ${fault} back failed: ${(error as Error).message}`);
      return null;
    });

    // The system answers again: the first probe after the fault that every subgraph answers.
    const probeErrors: Record<string, number> = {};
    let answersAt: number | null = null;
    while (performance.now() < workDeadline) {
      const answer = await probe(call, adminToken, scheduleId, probeBooking);
      if (answer.data) {
        answersAt = performance.now();
        break;
      }
      probeErrors[answer.code ?? 'unknown'] = (probeErrors[answer.code ?? 'unknown'] ?? 0) + 1;
      await sleep(100);
    }
    // Wave 2 pays once the fault's restart is done (the restarted process ready, or up.sh finished), so
    // for a killed service "settled" includes its readiness; wave 1's payments go on meanwhile.
    const backMs = await backFailed;
    log(`  back after ${seconds(backMs)} s; answers after ${seconds(answersAt === null ? null : answersAt - t0)} s (probe errors ${JSON.stringify(probeErrors)})`);

    // The fans carry on: wave 2 pays what it holds; anyone who holds nothing they were told of looks under "My bookings".
    const waveB = await waveBPromise;
    log(`  wave 2: ${waveB.held.length} holds of ${holders.length - half} fans (${waveB.seatUnavailable} SEAT_UNAVAILABLE, other ${JSON.stringify(waveB.otherErrors)})`);
    const paidB = await payAll(call, waveB.held, config.payRate, workDeadline, onSent, onAnswered);
    const paidA = await payAPromise;
    const held: HeldBooking[] = [...waveA.held, ...waveB.held];
    const known = new Set(held.map((h) => h.bookingId));
    const holding = new Set(held.map((h) => h.fan));
    const unreported = await findUnreportedHolds(call, holders.filter((fan) => !holding.has(fan)), known, scheduleId, seats, workDeadline);
    if (unreported.found.length > 0) log(`  ${unreported.found.length} holds made but never reported to their fans (found under myBookings): ${unreported.found.map((h) => h.bookingId).join(', ')}`);
    if (unreported.unanswered > 0) log(`  ${unreported.unanswered} fans could not read myBookings before the deadline`);
    const paidC = await payAll(call, unreported.found, config.payRate, workDeadline, onSent, onAnswered);
    held.push(...unreported.found);
    const paid: PaidBooking[] = [...paidA, ...paidB, ...paidC];
    // A payment refused for good (not a status): the fan lets the seats go, as the on-sale bench's fans do.
    for (const refused of paid.filter((p) => !['PAYMENT_PENDING', ...TERMINAL].includes(p.answer))) {
      await untilAnswered(() => call('mutation ($b: ID!) { cancelBooking(bookingId: $b) { status } }', { b: refused.booking.bookingId }, refused.booking.fan.token), workDeadline);
    }
    const payRetries: Record<string, number> = {};
    for (const p of paid) for (const [code, n] of Object.entries(p.retried)) payRetries[code] = (payRetries[code] ?? 0) + n;
    const payAnswers = countBy(paid.map((p) => ({ status: p.answer })));
    log(`  ${paid.length} payments answered ${JSON.stringify(payAnswers)}; transient failures retried ${JSON.stringify(payRetries)}`);

    const settledAt = await settle(dbs, scheduleId, workDeadline);
    const settledSeconds = settledAt === null ? null : seconds(settledAt - t0);
    log(`  settled ${settledSeconds === null ? `NOT within ${config.settleSeconds} s of the in-flight phase` : `${settledSeconds} s after the fault`} (last payment left ${seconds(lastPaymentAt - t0)} s after it)`);

    const rows = await scheduleBookings(dbs, scheduleId);
    const nonTerminal = rows
      .filter((row) => !TERMINAL.has(row.status))
      .map((row) => ({ id: row.id, status: row.status, heldUntil: row.held_until?.toISOString() ?? null, updatedAt: row.updated_at?.toISOString() ?? null }));
    const result = await audit({ dbs, scheduleId, fans: everyone, held, payments: [], settleSeconds: settledSeconds ?? config.settleSeconds });
    for (const c of result.checks) log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);

    const lost: TicketLoss[] = [];
    const changed: TicketLoss[] = [];
    let waitingAfter = 0;
    const ticketDeadline = performance.now() + 60_000;
    for (const fan of everyone) {
      const after = await readTicket(call, fan, ticketDeadline);
      const was = before.get(fan)!;
      if ('code' in after) lost.push({ fan: fan.index, before: was, after });
      else if (after.token !== was.token || after.queueNumber !== was.queueNumber) changed.push({ fan: fan.index, before: was, after });
      else if (waiters.includes(fan) && after.status === 'WAITING') waitingAfter += 1;
    }
    log(`  waiting room: ${everyone.length} tickets read, ${lost.length} lost, ${changed.length} changed number or token, ${waitingAfter} of ${waitingBefore} still waiting`);
    for (const loss of [...lost, ...changed].slice(0, 5)) log(`    fan ${loss.fan}: before ${JSON.stringify(loss.before)}, after ${JSON.stringify(loss.after)}`);

    let history: HistoryAudit | string;
    try {
      history = await auditHistory({ env: system.env, windows: {}, log: (line) => log(line) });
      const v = history.verify;
      log(`  history: ${history.archived} of ${history.produced} outbox events stored; verify ${'differences' in v ? `${v.differences} differences (${v.bookings} bookings, ${v.wallets} wallets, ${v.eventsRead} events)` : `failed: ${v.error}`}`);
      if ('differences' in v) for (const line of v.lines.slice(0, 10)) log(`    ${line}`);
    } catch (error) {
      history = `not available: ${(error as Error).message}`;
      log(`  history: ${history}`);
    }
    const letters = await deadLetters(stack, system.env['KAFKA_TOPIC_PREFIX'] ?? '');
    log(`  dead letters: ${letters.length}${letters.map((l) => `\n    ${l.topic} p${l.partition}@${l.offset} key ${l.key} ${l.eventType} by ${l.consumer}: ${l.reason}`).join('')}`);
    const errors = errorLines(system.logDir);
    if (Object.keys(errors.counts).length > 0) log(`  error-level log lines: ${JSON.stringify(errors.counts)} (logs in ${path.relative(process.cwd(), system.logDir)})`);

    return {
      fault,
      action,
      inFlight,
      backSeconds: seconds(backMs),
      answersSeconds: answersAt === null ? null : seconds(answersAt - t0),
      settledSeconds,
      lastPaymentSeconds: seconds(lastPaymentAt - t0),
      probeErrors,
      holds: { waveA, waveB },
      payRetries,
      payAnswers,
      unreportedHolds: unreported.found.length,
      audit: result,
      bookings: countBy(rows),
      nonTerminal,
      tickets: { checked: everyone.length, lost, changed, waitingBefore, waitingAfter },
      history,
      deadLetters: letters,
      errorLines: errors.counts,
      errorSamples: errors.samples,
      runId: system.runId,
      logDir: system.logDir,
    };
  } finally {
    close();
    await stopIsolatedSystem({ ...system, keepData: false }).catch((error: unknown) => log(`  stopping the round's system: ${(error as Error).message}`));
  }
}
