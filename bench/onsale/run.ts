/**
 * On-sale benchmark (issue 4): U fans enter the waiting room and are admitted, try to hold 1–4
 * random seats (closed loop, C at a time), then pay at a fixed rate while each watches its booking
 * on the subscription; the end state is audited in the databases. Ceilings from the same run sit
 * beside the numbers: `pgbench -N`, and a no-op mutation through the same gateway code.
 *
 *   npm run bench:onsale                                   # defaults in config.ts
 *   BENCH_USERS=4000 BENCH_SEATS=6000 BENCH_CONCURRENCY=32 BENCH_PAY_RATE=300 npm run bench:onsale
 *   BENCH_PROFILE=1 npm run bench:onsale                   # per-phase CPU profiles instead of numbers
 *   BENCH_SECTION=pay-150 BENCH_PAY_RATE=150 npm run bench:onsale   # a variant in its own BENCHMARKS.md section
 *
 * Everything goes through the gateway and its fences; the run has its own isolated system
 * (databases, Redis prefix, Kafka topics, ports), and writes its own sections of BENCHMARKS.md.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRedis } from '@ticketing/platform';
import { startIsolatedSystem, stopIsolatedSystem } from '@ticketing/test-support';
import { ROOT } from '../../infra/services';
import { noopGatewayCeiling, pgbenchCeiling } from '../lib/ceilings';
import { INSPECTABLE_ENV, profilePhase } from '../lib/inspector-profile';
import { machineLine, writeSection } from '../lib/report';
import { audit, waitForSettle, type Databases } from './audit';
import { auditHistory, type HistoryAudit, type Window } from './history-audit';
import { loadConfig, log, type OnsaleConfig } from './config';
import { createQuietGate, measureCost, type PhaseCost } from './costs';
import { runHoldPhase } from './hold-phase';
import { payAtRate, watchBookings, type PayResult } from './pay-phase';
import { capacityPerCore, copiesSection, gcPauses, onsaleProfileSection, onsaleSection, pgTrips, type Ceilings, type CopiesRun } from './report';
import { admitEveryone, createOnsaleSchedule, logInAdmin, signUpFans } from './setup';
import { paymentStages, type Stage } from './stages';
import { warmUp } from './warmup';

const SETTLE_SECONDS = 30;

const costLine = (cost: PhaseCost<unknown>) =>
  `${cost.cpuMsPerOp.map(([name, ms]) => `${name} ${ms}`).join(', ')}; box ${cost.boxBusyPercent}% busy (${cost.unaccountedPercent} points not ours); PostgreSQL ${pgTrips(cost)}`;

function logPayments(label: string, cost: PhaseCost<PayResult>) {
  const p = cost.result;
  log(`  ${label}: ${p.payments.length} payments at ${p.achievedRate}/s (target ${p.targetRate}/s, worst lag ${p.maxSendLagMs} ms)`);
  log(`    payBooking answer p50 ${p.answerLatencyMs.p50}, p99 ${p.answerLatencyMs.p99} ms; → CONFIRMED seen p50 ${p.confirmedLatencyMs.p50}, p95 ${p.confirmedLatencyMs.p95}, p99 ${p.confirmedLatencyMs.p99}, max ${p.confirmedLatencyMs.max} ms`);
  log(`    verdicts ${JSON.stringify(p.verdicts)}, refused ${JSON.stringify(p.payErrors)}, subscription errors ${JSON.stringify(p.subscriptionErrors)}`);
  log(`    CPU ms per payment: ${costLine(cost)}`);
  log(`    of it garbage-collection pauses: ${gcPauses(cost)}`);
}

async function stagesOf(dbs: Databases, label: string, result: PayResult): Promise<Stage[] | string> {
  try {
    const stages = await paymentStages(dbs, result.payments);
    for (const s of stages) log(`  ${label} ${s.name}: p50 ${s.latencyMs.p50}, p99 ${s.latencyMs.p99} ms`);
    return stages;
  } catch (error) {
    log(`  ${label} stage breakdown not available: ${(error as Error).message}`);
    return `not available: ${(error as Error).message}`;
  }
}

/** The history audit, logged; a failure to read it is reported in the section, not thrown. */
async function historyOf(env: Record<string, string>, windows: Record<string, Window>): Promise<HistoryAudit | string> {
  log('history: waiting for the archiver to hold every outbox event, then archive lag, rates and history:verify');
  try {
    const history = await auditHistory({ env, windows, log });
    const lag = (l: HistoryAudit['lagMs']) => `p50 ${l.p50}, p99 ${l.p99}, max ${l.max} ms`;
    log(`  ${history.archived} of ${history.produced} outbox events stored (${history.catchUpSeconds} s after settling); lag ${lag(history.lagMs)}`);
    log(`    occurredAt → relay ${lag(history.relayLegMs)}; relay → stored ${lag(history.archiveLegMs)}`);
    for (const [name, w] of Object.entries(history.windows)) {
      log(`    ${name}: produced ${w.producedPerSecond}/s, stored ${w.storedPerSecond}/s (busiest second ${w.peakStoredPerSecond}), lag ${lag(w.lagMs)}`);
    }
    const v = history.verify;
    log('differences' in v ? `  verify: ${v.differences} differences (${v.bookings} bookings, ${v.wallets} wallets, ${v.eventsRead} events)` : `  verify failed: ${v.error}`);
    if ('differences' in v) for (const line of v.lines.slice(0, 10)) log(`    ${line}`);
    return history;
  } catch (error) {
    log(`  history audit not available: ${(error as Error).message}`);
    return `not available: ${(error as Error).message}`;
  }
}

/**
 * The BENCHMARKS.md section of one run: the plain run keeps `onsale` (issue 10's numbers); a
 * comparison of copies writes each of its runs beside it instead, so a smaller comparison never
 * replaces them.
 */
const sectionOf = (config: OnsaleConfig, copies: number) =>
  (config.copies.length === 1 && copies === 1 ? 'onsale' : `onsale-copies-${copies}`) + (config.section ? `-${config.section}` : '');

async function main() {
  const config = loadConfig();
  const runs: CopiesRun[] = [];
  for (const copies of config.copies) runs.push(await runOnce(config, copies));
  if (runs.length > 1) {
    writeSection('onsale-copies', copiesSection(config, runs));
    log('wrote the one-vs-more-copies comparison to BENCHMARKS.md');
  }
  if (runs.some((run) => !run.clean)) process.exitCode = 1;
}

async function runOnce(config: OnsaleConfig, copies: number): Promise<CopiesRun> {
  const loadAtStart = os.loadavg()[0]!;
  log(`machine: ${machineLine()}; load average at start ${loadAtStart.toFixed(2)}`);
  log(`starting an isolated system, ${copies} ${copies === 1 ? 'copy' : 'copies behind HAProxy'} of every process (users=${config.users}, seats=${config.seats}, concurrency=${config.concurrency}, pay rate=${config.payRate}/s)`);
  const profileDir = path.join(ROOT, '.run', 'bench-profiles', `onsale-${Date.now()}`);
  if (config.profile) mkdirSync(profileDir, { recursive: true });
  const system = await startIsolatedSystem({
    label: 'bench',
    copies,
    env: {
      LOG_LEVEL: 'warn',
      QUEUE_MAX_ACTIVE: String(config.users + config.warmupFans),
      // Admissions and holds outlive the waits for a quiet box (both are checked, not swept, on the hot path).
      QUEUE_ACTIVE_TTL_SECONDS: '3600',
      HOLD_TTL_SECONDS: '3600',
      ...(config.profile ? INSPECTABLE_ENV : {}),
    },
  });
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  try {
    const dbs: Databases = {
      booking: system.env['BOOKING_DATABASE_URL']!,
      payment: system.env['PAYMENT_DATABASE_URL']!,
      concert: system.env['CONCERT_DATABASE_URL']!,
    };
    // Every process by its own name (`booking-2` with copies) and metrics port.
    const services = Object.fromEntries(system.instances.map((instance) => [instance.name, `http://127.0.0.1:${instance.metricsPort}/metrics`]));
    const processes = system.instances.map((instance) => ({
      name: instance.name,
      pid: system.processes[system.services.indexOf(instance.name)]!.pid!,
      logFile: path.join(system.logDir, `${instance.name}.log`),
    }));
    /** Busy share of the box just before each measurement, as found after waiting for quiet. */
    const { busyBefore, quiet } = createQuietGate(config.quietWaitSeconds, log);
    const profiles: Record<string, Record<string, string>> = {};
    /** Under BENCH_PROFILE=1 each phase is sampled on its own, so setup stays out of its profile. */
    const measure = async <T>(label: string, operations: () => number, work: () => Promise<T>): Promise<PhaseCost<T>> =>
      measureCost({
        services,
        runId: system.runId,
        redis,
        operations,
        phase: async () => {
          if (!config.profile) return work();
          const { result, files } = await profilePhase(processes, profileDir, label, work);
          profiles[label] = files;
          return result;
        },
      });

    log(`setup: a schedule of ${config.seats} seats, ${config.users} fans with wallets (through the gateway, not measured)`);
    const { scheduleId, seats } = await createOnsaleSchedule(dbs.concert, config.seats);
    const adminToken = await logInAdmin(system.gatewayUrl);
    const signedUp = await signUpFans(system.gatewayUrl, config.users, config.shortFraction);

    let ceilings: Ceilings | undefined;
    if (!config.profile) {
      await quiet('the no-op ceiling');
      log(`ceiling: no-op mutation through the gateway (${config.noopSeconds} s, ${config.concurrency} connections)`);
      const noop = await noopGatewayCeiling({ env: system.env, logDir: system.logDir, seconds: config.noopSeconds, concurrency: config.concurrency });
      log(`  ${noop.perSecond}/s, p50 ${noop.latencyMs.p50} ms, p99 ${noop.latencyMs.p99} ms`);
      await quiet('pgbench');
      log(`ceiling: pgbench -N (${config.pgbenchSeconds} s)`);
      const pgbench = await pgbenchCeiling({ seconds: config.pgbenchSeconds, clients: 8, threads: 2 });
      log(`  ${pgbench.tps} tps, average latency ${pgbench.latencyMs} ms`);
      ceilings = { noop, pgbench };
    }

    log(`warm-up (not measured): ${config.warmupFans} other fans hold and pay on a schedule of their own`);
    const warm = await warmUp({
      gatewayUrl: system.gatewayUrl,
      concertDatabaseUrl: dbs.concert,
      adminToken,
      fans: config.warmupFans,
      shortFraction: config.shortFraction,
      concurrency: config.concurrency,
      tries: config.holdTries,
      holdWith: config.holdWith,
    });

    log('setup: every fan enters the waiting room and is admitted');
    const fans = await admitEveryone(system.gatewayUrl, adminToken, scheduleId, signedUp);

    await quiet('the hold phase');
    log(`hold: ${fans.length} fans, ${config.concurrency} at a time, up to ${config.holdTries} calls each`);
    let attempts = 0;
    /** The measured phases by the load generator's clock, for the history audit's rates. */
    const windows: Record<string, Window> = {};
    const holdFrom = Date.now();
    const hold = await measure('hold', () => attempts, async () => {
      const result = await runHoldPhase({ gatewayUrl: system.gatewayUrl, scheduleId, fans, seats, concurrency: config.concurrency, tries: config.holdTries, holdWith: config.holdWith });
      attempts = result.attempts;
      return result;
    });
    windows['hold'] = { from: holdFrom, to: Date.now() };
    const h = hold.result;
    log(`  ${h.attempts} holdSeats calls in ${h.seconds} s = ${h.attemptsPerSecond}/s; p50 ${h.latencyMs.p50}, p95 ${h.latencyMs.p95}, p99 ${h.latencyMs.p99}, max ${h.latencyMs.max} ms`);
    log(`    the first ${h.firstWave.calls} calls: max ${h.firstWave.maxMs} ms; the rest: p50 ${h.firstWave.laterMs.p50}, p99 ${h.firstWave.laterMs.p99}, max ${h.firstWave.laterMs.max} ms`);
    log(`  ${h.held.length} bookings (${h.held.reduce((s, b) => s + b.seatIds.length, 0)} seats), ${h.seatUnavailable} SEAT_UNAVAILABLE, other ${JSON.stringify(h.otherErrors)}, ${h.fansWithoutSeats} fans without seats, ${h.fansFacingSoldOut} facing sold-out`);
    log(`  CPU ms per hold: ${costLine(hold)}`);
    log(`    of it garbage-collection pauses: ${gcPauses(hold)}`);

    log(`watch: ${h.held.length} fans open a WebSocket each and subscribe to their booking`);
    const watch = await measure('watch', () => h.held.length, () => watchBookings(system.gatewayUrl, h.held));
    const watches = watch.result;
    log(`  ${watches.connections} connections, ${watches.initialPushes} initial pushes; CPU ms per subscription: ${costLine(watch)}`);
    const probeCount = Math.min(config.probePayments, Math.floor(watches.payments.length / 2));

    await quiet('the payments');
    log(`pay: ${probeCount} payments at a light ${config.probeRate}/s, then ${watches.payments.length - probeCount} at ${config.payRate}/s`);
    const payFrom = Date.now();
    const probe = await measure('pay-light', () => probeCount, () => payAtRate(system.gatewayUrl, watches.payments.slice(0, probeCount), config.probeRate));
    logPayments(`light load`, probe);
    const pay = await measure('pay', () => watches.payments.length - probeCount, () => payAtRate(system.gatewayUrl, watches.payments.slice(probeCount), config.payRate));
    logPayments(`target rate`, pay);
    windows['pay'] = { from: payFrom, to: Date.now() };
    await watches.close();

    log(`audit: waiting up to ${SETTLE_SECONDS} s for the saga and the seat projection to settle`);
    const settleSeconds = await waitForSettle(dbs, SETTLE_SECONDS);
    const result = await audit({
      dbs,
      scheduleId,
      fans: [...warm.fans, ...fans],
      held: [...warm.held, ...h.held],
      payments: [...warm.payments, ...watches.payments],
      settleSeconds,
    });
    for (const c of result.checks) log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    const stages = { light: await stagesOf(dbs, 'light', probe.result), loaded: await stagesOf(dbs, 'loaded', pay.result) };
    const history = config.profile ? undefined : await historyOf(system.env, windows);

    if (config.profile) {
      writeSection(`${sectionOf(config, copies)}-profile`, onsaleProfileSection({ config, phases: { hold, watch, 'pay-light': probe, pay }, profiles }));
      log(`wrote the per-phase CPU profiles to BENCHMARKS.md (profiles in ${profileDir}; numbers not recorded: profiling slows them)`);
    } else {
      writeSection(sectionOf(config, copies), onsaleSection({ config, copies, loadAtStart, busyBefore, ceilings: ceilings!, hold, watch, probe, pay, audit: result, stages, history }));
      log(`wrote BENCHMARKS.md (audit ${result.ok ? 'clean' : 'FAILED'})`);
    }
    const historyDiffers = typeof history === 'object' && !('differences' in history.verify && history.verify.differences === 0);
    log(`capacity per core: ${capacityPerCore(hold)} hold attempts/s, ${capacityPerCore(pay)} payments/s (1000 ÷ CPU ms per operation, all processes)`);
    return { copies, hold, watch, pay, auditOk: result.ok, clean: result.ok && !historyDiffers };
  } finally {
    redis.disconnect();
    await stopIsolatedSystem({ ...system, keepData: false });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
