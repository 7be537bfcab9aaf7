/** The on-sale sections of BENCHMARKS.md: every number of the run beside its ceilings and targets. */
import os from 'node:os';
import type { NoopCeiling } from '../lib/ceilings';
import type { LatencySummary } from '../lib/load';
import { summarizeProfile, topFunctions } from '../lib/profile';
import { machineLine } from '../lib/report';
import type { AuditResult } from './audit';
import type { OnsaleConfig } from './config';
import type { PhaseCost } from './costs';
import type { HoldPhaseResult } from './hold-phase';
import { CATCH_UP_SECONDS, TARGET_LAG_P99_MS, type HistoryAudit } from './history-audit';
import type { PayResult, Watches } from './pay-phase';
import type { Stage } from './stages';

export interface Ceilings {
  noop: NoopCeiling;
  pgbench: { command: string; tps: number; latencyMs: number };
}

const TARGET_HOLD_SHARE = 50;
const TARGET_HOLD_P99_MS = 200;
const TARGET_CONFIRM_P99_MS = 500;

const latency = (l: LatencySummary) => `${l.p50} / ${l.p95} / ${l.p99} / ${l.max} ms`;
const verdict = (met: boolean) => (met ? 'met' : '**not met**');
const costs = (cost: PhaseCost<unknown>, top = 99) =>
  cost.cpuMsPerOp
    .slice(0, top)
    .map(([name, ms]) => `${name} ${ms}`)
    .join(', ');
/** PostgreSQL round trips (statements, BEGIN and COMMIT included) by the process that sent them, and connections opened. */
export const pgTrips = (cost: PhaseCost<unknown>) => {
  const total = Math.round(cost.pgRoundTripsPerOp.reduce((sum, [, trips]) => sum + trips, 0) * 100) / 100;
  const by = cost.pgRoundTripsPerOp.map(([name, trips]) => `${name} ${trips}`).join(', ');
  return `${total} round trips (${by || 'none'}); ${cost.pgConnectionsOpenedPerOp} connections opened`;
};
/** Garbage-collection pauses per operation, all services, and by service. */
export const gcPauses = (cost: PhaseCost<unknown>) => {
  const total = Math.round(cost.gcMsPerOp.reduce((sum, [, ms]) => sum + ms, 0) * 1000) / 1000;
  return `${total} ms (${cost.gcMsPerOp.map(([name, ms]) => `${name} ${ms}`).join(', ') || 'none'})`;
};
const box = (cost: PhaseCost<unknown>) => `box ${cost.boxBusyPercent}% busy, ${cost.unaccountedPercent} points of it outside this run`;
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';

function noopCosts(noop: NoopCeiling): string {
  const { gateway, subgraph, loadGenerator } = noop.cpuMsPerRequest;
  return `gateway ${gateway}, no-op subgraph ${subgraph}, load generator ${loadGenerator}: ${(gateway + subgraph + loadGenerator).toFixed(3)} all told`;
}

/**
 * Holds are bound by the box's cores (the hold phase keeps them busy), so reaching the target share
 * of the no-op ceiling needs a hold attempt that costs at most cores ÷ (share × no-op rate), all
 * processes: the budget beside what a hold attempt costs, and what its gateway and booking alone cost.
 */
function shareBudget(noop: NoopCeiling, hold: PhaseCost<unknown>): string {
  const cores = os.cpus().length;
  const budgetMs = (cores * 1000) / ((TARGET_HOLD_SHARE / 100) * noop.perSecond);
  const msOf = new Map(hold.cpuMsPerOp);
  const gatewayMs = msOf.get('gateway') ?? 0;
  const front = gatewayMs + (msOf.get('booking') ?? 0);
  // The no-op ceiling is one gateway process's: with every other process on cores of its own, that
  // process alone would cap holds at (its CPU per no-op ÷ its CPU per hold) of the ceiling.
  const gatewayShare = Math.round((noop.cpuMsPerRequest.gateway / Math.max(0.001, gatewayMs)) * 100);
  return (
    `${TARGET_HOLD_SHARE}% of ${noop.perSecond}/s on ${cores} cores leaves a hold attempt at most ${budgetMs.toFixed(2)} ms of CPU, all processes; ` +
    `it cost ${totalCpuMs(hold)} ms, of which the gateway and booking processes alone ${front.toFixed(2)} ms. ` +
    `The gateway process alone (${noop.cpuMsPerRequest.gateway} ms per no-op, ${gatewayMs.toFixed(3)} ms per hold attempt) would allow ${gatewayShare}% ` +
    `if the other processes had cores of their own (arithmetic, not measured here)`
  );
}

/** All processes' CPU per operation of a phase, summed (ms). */
export const totalCpuMs = (cost: PhaseCost<unknown>) => Math.round(cost.cpuMsPerOp.reduce((sum, [, ms]) => sum + ms, 0) * 100) / 100;
/** What one core could serve of an operation at its measured cost: 1000 ÷ CPU ms (issue 10's "capacity per core"). */
export const capacityPerCore = (cost: PhaseCost<unknown>) => Math.round(1000 / Math.max(0.001, totalCpuMs(cost)));

/** One run of the on-sale with N copies of every process, as the comparison needs it. */
export interface CopiesRun {
  copies: number;
  hold: PhaseCost<HoldPhaseResult>;
  watch: PhaseCost<Watches>;
  pay: PhaseCost<PayResult>;
  auditOk: boolean;
  /** Audit clean and the event store verified. */
  clean: boolean;
}

/** One copy of every process beside N copies, from runs of one invocation (same box, minutes apart). */
export function copiesSection(config: OnsaleConfig, runs: readonly CopiesRun[]): string {
  const column = (measure: (run: CopiesRun) => string) => runs.map(measure).join(' | ');
  const header = runs.map((run) => `${run.copies} ${run.copies === 1 ? 'copy' : 'copies'}`).join(' | ');
  return `## On-sale with one and with more copies of every process (issue 13)

Command: \`${config.command}\` — measured ${new Date().toISOString()} on ${machineLine()}. The same scenario run once per
column, one after the other, each on a fresh isolated system; with copies, HAProxy on the public ports balances them, and its CPU
counts among all processes. The copies of a service share the box's ${os.cpus().length} cores, so more copies add coordination (more
consumers in each group, more relays, more connections), not cores: on one machine the question is what a copy costs, and the
answer for more machines is the capacity per core.

| measure | ${header} |
|---|${runs.map(() => '---|').join('')}
| hold attempts/s (closed loop, ${config.concurrency} in flight) | ${column((run) => String(run.hold.result.attemptsPerSecond))} |
| hold p99 | ${column((run) => `${run.hold.result.latencyMs.p99} ms`)} |
| CPU per hold attempt, all processes | ${column((run) => `${totalCpuMs(run.hold)} ms`)} |
| hold attempts per core (1000 ÷ CPU ms) | ${column((run) => String(capacityPerCore(run.hold)))} |
| CPU per subscription opened, all processes | ${column((run) => `${totalCpuMs(run.watch)} ms`)} |
| payments/s achieved (target ${config.payRate}/s) | ${column((run) => String(run.pay.result.achievedRate))} |
| \`payBooking\` → CONFIRMED seen, p99 | ${column((run) => `${run.pay.result.confirmedLatencyMs.p99} ms`)} |
| CPU per payment, all processes | ${column((run) => `${totalCpuMs(run.pay)} ms`)} |
| payments per core (1000 ÷ CPU ms) | ${column((run) => String(capacityPerCore(run.pay)))} |
| box busy during holds / payments | ${column((run) => `${run.hold.boxBusyPercent}% / ${run.pay.boxBusyPercent}%`)} |
| audit, event store verified | ${column((run) => (run.clean ? 'clean, 0 differences' : run.auditOk ? 'audit clean, **verify differs**' : '**audit FAILED**'))} |

Each column's full section (CPU by process, Redis per operation, stages) is just above this one.
`;
}

/** `payBooking` → verdict for one pay run; says so when some verdicts never came (the percentiles then leave them out). */
function confirmLatency(p: PayResult): string {
  const missing = p.noVerdict > 0 ? ` — **${p.noVerdict} verdicts not seen** within the grace period, so these percentiles understate` : '';
  return `${latency(p.confirmedLatencyMs)}${missing}`;
}

function stageTable(stages: { light: Stage[] | string; loaded: Stage[] | string }, probe: PayResult, pay: PayResult): string {
  if (typeof stages.light === 'string' || typeof stages.loaded === 'string') {
    return `Stage breakdown: light load ${typeof stages.light === 'string' ? stages.light : 'ok'}, loaded ${typeof stages.loaded === 'string' ? stages.loaded : 'ok'}.`;
  }
  const loaded = new Map(stages.loaded.map((s) => [s.name, s]));
  const rows = stages.light.map((s) => `| ${s.name} | ${latency(s.latencyMs)} | ${loaded.has(s.name) ? latency(loaded.get(s.name)!.latencyMs) : '–'} |`);
  return `Where a confirmed payment's time goes, stage by stage (p50 / p95 / p99 / max), from the saga's own timestamps and the load generator's
clock (one machine, one clock). A relay "picks up" a row when its transaction begins, before the Kafka send, so the send falls into the next stage.

| stage | light load (${probe.achievedRate}/s) | target rate (${pay.achievedRate}/s) |
|---|---|---|
${rows.join('\n')}`;
}

/** What the history subgraph made of the run: archive lag and rate per phase, and history:verify. */
function historyRows(history: HistoryAudit | string | undefined): string {
  if (history === undefined) return '';
  if (typeof history === 'string') return `| history audit | ${history} | |\n`;
  const { windows, verify } = history;
  const measured = Object.values(windows);
  const worstP99 = Math.max(history.lagMs.p99, ...measured.map((w) => w.lagMs.p99));
  const rateRows = Object.entries(windows).map(
    ([name, w]) =>
      `| archive during the ${name} phase (${w.seconds} s) | events produced ${w.producedPerSecond}/s, stored **${w.storedPerSecond}/s** (busiest second ${w.peakStoredPerSecond}); lag of its events ${latency(w.lagMs)} | |`,
  );
  const verifyCell =
    'differences' in verify
      ? `**${verify.differences} differences** (${verify.bookings} booking and ${verify.wallets} wallet streams folded from ${verify.eventsRead} events)${verify.lines.length > 0 ? `: ${verify.lines.slice(0, 5).join('; ')}${verify.lines.length > 5 ? '; …' : ''}` : ''}`
      : `**failed**: ${verify.error}`;
  return [
    `| archive lag \`recordedAt − occurredAt\`, every event of the run (p50 / p95 / p99 / max) | ${latency(history.lagMs)} | p99 < ${TARGET_LAG_P99_MS} ms in every phase: ${verdict(worstP99 < TARGET_LAG_P99_MS)} |`,
    `| … of which the transition → the outbox relay picks it up (\`published_at\`) | ${latency(history.relayLegMs)} | |`,
    `| … of which the relay → stored (Kafka send, archiver fetch, \`insertMany\`) | ${latency(history.archiveLegMs)} | |`,
    ...rateRows,
    `| archived | ${history.archived} of the ${history.produced} events in the services' outboxes stored, ${history.catchUpSeconds} s after the saga settled (waited up to ${CATCH_UP_SECONDS} s) | every one: ${verdict(history.archived === history.produced)} |`,
    `| \`history:verify\` after the run (every booking and wallet stream folded, compared with PostgreSQL) | ${verifyCell} | 0: ${verdict('differences' in verify && verify.differences === 0)} |`,
  ].join('\n') + '\n';
}

export function onsaleSection(input: {
  config: OnsaleConfig;
  /** Copies of every process (HAProxy in front from 2); 1 unless BENCH_COPIES says otherwise. */
  copies?: number;
  loadAtStart: number;
  busyBefore: Record<string, number>;
  ceilings: Ceilings;
  hold: PhaseCost<HoldPhaseResult>;
  watch: PhaseCost<Watches>;
  probe: PhaseCost<PayResult>;
  pay: PhaseCost<PayResult>;
  audit: AuditResult;
  stages: { light: Stage[] | string; loaded: Stage[] | string };
  /** The history subgraph's view of the run (issue 9); absent in runs before it existed. */
  history?: HistoryAudit | string;
}): string {
  const { config, ceilings, audit } = input;
  const h = input.hold.result;
  const w = input.watch.result;
  const light = input.probe.result;
  const p = input.pay.result;
  const share = Math.round((h.attemptsPerSecond / ceilings.noop.perSecond) * 100);
  const seatsHeld = h.held.reduce((sum, b) => sum + b.seatIds.length, 0);
  const paceKept = p.achievedRate >= p.targetRate * 0.95;
  const busy = Object.entries(input.busyBefore)
    .map(([what, percent]) => `${what} ${percent}%`)
    .join(', ');

  const copies = input.copies ?? 1;
  return `## On-sale: hold, pay, audit (issue 4)${copies > 1 ? `, ${copies} copies of every process behind HAProxy (issue 13)` : ''}

Command: \`${config.command}\` — measured ${new Date().toISOString()} on ${machineLine()}, with the whole
system (five subgraphs, gateway, PostgreSQL, Redis, Kafka, FerretDB) and the load generator on the box.
The box is shared: the load average was ${input.loadAtStart.toFixed(2)} when the run started, and each measurement first waited (up to
${config.quietWaitSeconds} s) for a quiet moment — busy share of all cores just before: ${busy || 'not checked'}.
${config.users} fans, all admitted by the waiting room first; ${config.seats} seats in five price sections; ${Math.round(config.shortFraction * 100)}% of the
fans cannot afford any seat. Before the measured phases ${config.warmupFans} other fans hold and pay on a schedule of their own, so the
processes are warm (not measured; audited with the rest). Admissions and holds last an hour in this run (\`QUEUE_ACTIVE_TTL_SECONDS\`,
\`HOLD_TTL_SECONDS\`), so waiting for a quiet box cannot expire them.

| measure | value | target |
|---|---|---|
| hold attempts through the gateway (every \`holdSeats\` call) | **${h.attemptsPerSecond}/s** (${h.attempts} calls, ${config.concurrency} fans at a time, ${h.seconds} s) | |
| hold latency p50 / p95 / p99 / max | ${latency(h.latencyMs)} | p99 < ${TARGET_HOLD_P99_MS} ms: ${verdict(h.latencyMs.p99 < TARGET_HOLD_P99_MS)} |
| … the first ${h.firstWave.calls} calls (all started at the phase's first instant), against the rest | the first: max ${h.firstWave.maxMs} ms; the other ${h.attempts - h.firstWave.calls}: ${latency(h.firstWave.laterMs)} | |
| ceiling: no-op mutation through the same gateway (${config.concurrency} connections) | ${ceilings.noop.perSecond}/s (p50 ${ceilings.noop.latencyMs.p50} ms, p99 ${ceilings.noop.latencyMs.p99} ms) | |
| hold attempts as a share of the no-op ceiling | **${share}%** | ≥ ${TARGET_HOLD_SHARE}%: ${verdict(share >= TARGET_HOLD_SHARE)} |
| CPU per no-op mutation (ms, by process) | ${noopCosts(ceilings.noop)} | |
| what the share would take | ${shareBudget(ceilings.noop, input.hold)} | |
| ceiling: \`${ceilings.pgbench.command}\` | ${ceilings.pgbench.tps} transactions/s (average latency ${ceilings.pgbench.latencyMs} ms) | |
| hold outcomes | ${h.held.length} bookings (${seatsHeld} seats), ${h.seatUnavailable} SEAT_UNAVAILABLE, other errors: ${counts(h.otherErrors)}; ${h.fansWithoutSeats} fans tried and got nothing, ${h.fansFacingSoldOut} saw no free seat left | |
| CPU per hold attempt (ms, by process) | ${costs(input.hold)} (${box(input.hold)}) | |
| of it garbage-collection pauses per hold attempt (main threads, nodejs_gc_duration_seconds) | ${gcPauses(input.hold)} | |
| capacity per core: hold attempts (1000 ÷ ${totalCpuMs(input.hold)} ms, all processes) | **${capacityPerCore(input.hold)}/s** | |
| Redis per hold attempt | ${input.hold.redisCallsPerOp} commands (${input.hold.redisTopCommands}), ${input.hold.redisUsecPerOp} µs | |
| PostgreSQL per hold attempt | ${pgTrips(input.hold)} | |
| subscriptions | ${w.connections} graphql-ws connections, one per fan with its own token, one \`bookingUpdated\` each, opened before paying; ${w.initialPushes} pushed the booking at once. CPU per subscription opened: ${costs(input.watch, 5)}; PostgreSQL per subscription opened: ${pgTrips(input.watch)} | |
| payments at light load (open loop) | ${light.payments.length} at ${light.achievedRate}/s: \`payBooking\` answer ${latency(light.answerLatencyMs)}; sent → CONFIRMED seen ${confirmLatency(light)} | |
| payments at the target rate (open loop, the remaining HELD bookings) | **${p.achievedRate}/s** achieved of ${p.targetRate}/s (${p.payments.length} payments, worst send lag ${p.maxSendLagMs} ms) | ${p.targetRate}/s: ${verdict(paceKept)} |
| \`payBooking\` answer p50 / p95 / p99 / max | ${latency(p.answerLatencyMs)} | |
| \`payBooking\` sent → CONFIRMED seen on the subscription | ${confirmLatency(p)} | p99 < ${TARGET_CONFIRM_P99_MS} ms: ${verdict(p.confirmedLatencyMs.p99 < TARGET_CONFIRM_P99_MS && paceKept && p.noVerdict === 0)} |
| \`payBooking\` sent → CANCELLED seen (fans short of money) | ${latency(p.cancelledLatencyMs)} | |
| verdicts seen | ${counts(p.verdicts)}; refused outright: ${counts(p.payErrors)}; subscription errors: ${counts(p.subscriptionErrors)} | |
| CPU per payment at the target rate (ms, by process) | ${costs(input.pay)} (${box(input.pay)}) | |
| of it garbage-collection pauses per payment (main threads, nodejs_gc_duration_seconds) | ${gcPauses(input.pay)} | |
| capacity per core: payments (1000 ÷ ${totalCpuMs(input.pay)} ms, all processes) | **${capacityPerCore(input.pay)}/s** | |
| CPU per payment at light load (ms, by process) | ${costs(input.probe)} | |
| Redis per payment | ${input.pay.redisCallsPerOp} commands (${input.pay.redisTopCommands}), ${input.pay.redisUsecPerOp} µs | |
| PostgreSQL per payment at the target rate | ${pgTrips(input.pay)} | |
| end state of the schedule | ${Object.entries(audit.bookings).map(([status, b]) => `${b.count} ${status} (${b.amount} KRW)`).join(', ')}; ${audit.soldSeats} seats SOLD; ledger (whole run): charges ${audit.ledger.charges}, debits ${audit.ledger.debits}, refunds ${audit.ledger.refunds} KRW; settled ${audit.settleSeconds} s after the last verdict | |
${historyRows(input.history)}| audit | ${audit.ok ? '**clean**' : '**FAILED**'} | |

${audit.checks.map((c) => `- ${c.ok ? '✓' : '✗ **FAILED**'} ${c.name}: ${c.detail}`).join('\n')}

${stageTable(input.stages, light, p)}

CPU per operation is each process's CPU during the phase divided by its operations, including the background work the operations cause
(relays, consumers, projections); PostgreSQL per database from /proc, \`postgres (server)\` being the postmaster, background workers and
exited backends. Hold latency is closed-loop at ${config.concurrency} in flight, so it includes queueing for the two cores.
Archive lag reads \`occurredAt\` (the producer's clock at the transition) and \`recordedAt\` (the store's clock just before the insert) from
the run's event store, and \`published_at\` from the outbox row of the same eventId (stamped when the relay's transaction begins,
before its Kafka send). Phase rates count events by those timestamps inside the phase's window on the load generator's clock.
`;
}

export function onsaleProfileSection(input: {
  config: OnsaleConfig;
  phases: Record<string, PhaseCost<unknown>>;
  profiles: Record<string, Record<string, string>>;
}): string {
  const tables = Object.entries(input.phases).map(([label, cost]) => {
    const files = input.profiles[label] ?? {};
    const msOf = new Map(cost.cpuMsPerOp);
    const rows = Object.entries(files)
      .sort((a, b) => (msOf.get(b[0]) ?? 0) - (msOf.get(a[0]) ?? 0))
      .map(([name, file]) => {
        const categories = summarizeProfile(file, 8).map((c) => `${c.category} ${c.percent}%`).join(', ');
        const functions = topFunctions(file, 8).map((f) => `${f.name} ${f.percent}%`).join(', ');
        return `| ${name} | ${msOf.get(name) ?? '–'} | ${categories} | ${functions} |`;
      });
    return `**${label}** — CPU ms per operation under the profiler, every process: ${costs(cost)}

| process | CPU ms per op | by package | hottest functions (self time) |
|---|---|---|---|
${rows.join('\n')}`;
  });
  return `## On-sale: where the CPU goes (issue 4)

Command: \`${input.config.command}\` — the same scenario, each phase sampled on its own in every Node process through the
inspector (Profiler domain, 1 ms interval; setup and warm-up stay out), ${new Date().toISOString()}, ${machineLine()}.
Self time, as a share of each process's busy (non-idle) samples during the phase. Phases: hold (per \`holdSeats\` call), watch (per
subscription opened), pay-light (per payment at ${input.config.probeRate}/s), pay (per payment at ${input.config.payRate}/s).

${tables.join('\n\n')}
`;
}
