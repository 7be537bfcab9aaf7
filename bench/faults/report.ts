/** The Faults section of BENCHMARKS.md: one row per fault, every number from the run that wrote it. */
import os from 'node:os';
import { machineLine } from '../lib/report';
import type { FaultsConfig } from './config';
import type { RoundResult } from './round';

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';
const secs = (value: number | null) => (value === null ? '—' : `${value} s`);

export function verifyOf(round: RoundResult): { ok: boolean; text: string } {
  if (typeof round.history === 'string') return { ok: false, text: `verify ${round.history}` };
  const v = round.history.verify;
  if (!('differences' in v)) return { ok: false, text: `verify failed: ${v.error}` };
  const archived = round.history.archived === round.history.produced ? '' : `, ${round.history.produced - round.history.archived} events not archived`;
  return { ok: v.differences === 0 && archived === '', text: `${v.differences} differences${archived}` };
}

export function bookingsOf(round: RoundResult): { ok: boolean; text: string } {
  const total = Object.values(round.bookings).reduce((a, b) => a + b, 0);
  if (round.nonTerminal.length === 0) return { ok: true, text: `all ${total} terminal (${counts(round.bookings)})` };
  const byStatus: Record<string, number> = {};
  for (const b of round.nonTerminal) byStatus[b.status] = (byStatus[b.status] ?? 0) + 1;
  // HELD: the fan can still pay, and the sweeper expires it at heldUntil. PAYMENT_PENDING past the settle time: the saga is stuck on it.
  const held = byStatus['HELD'] ? `${byStatus['HELD']} HELD (recoverable: payable, expire at heldUntil)` : '';
  const pending = byStatus['PAYMENT_PENDING'] ? `${byStatus['PAYMENT_PENDING']} PAYMENT_PENDING (**stuck**: no verdict within the settle time)` : '';
  return { ok: false, text: `${total - round.nonTerminal.length} of ${total} terminal; ${[held, pending].filter(Boolean).join(', ')}` };
}

export function placesOf(round: RoundResult): { ok: boolean; text: string } {
  const t = round.tickets;
  const bad = t.lost.length + t.changed.length;
  return {
    ok: bad === 0,
    text: `${t.checked - bad} of ${t.checked} kept${t.lost.length ? `, **${t.lost.length} lost** (${t.lost[0]!.after && 'code' in t.lost[0]!.after ? t.lost[0]!.after.code : ''})` : ''}${t.changed.length ? `, **${t.changed.length} renumbered**` : ''}; ${t.waitingAfter} of ${t.waitingBefore} still waiting`,
  };
}

export function verdictOf(round: RoundResult): string {
  const problems: string[] = [];
  if (!round.audit.ok) problems.push(`audit: ${round.audit.checks.filter((c) => !c.ok).map((c) => c.name).join('; ')}`);
  if (!bookingsOf(round).ok) problems.push('bookings not terminal');
  if (!placesOf(round).ok) problems.push('waiting-room places lost');
  if (!verifyOf(round).ok) problems.push('event store differs');
  if (round.deadLetters.length > 0) problems.push(`${round.deadLetters.length} dead letters`);
  if (round.settledSeconds === null) problems.push('did not settle');
  if (round.fault !== 'none' && round.answersSeconds === null) problems.push('never answered again');
  return problems.length === 0 ? (round.fault === 'none' ? 'clean (reference)' : 'recovered, clean') : `**${problems.join('; ')}**`;
}

const FAULT_LABEL: Record<string, string> = {
  none: 'none (baseline)',
  booking: 'SIGKILL booking',
  payment: 'SIGKILL payment',
  concert: 'SIGKILL concert',
  queue: 'SIGKILL queue',
  history: 'SIGKILL history',
  gateway: 'SIGKILL gateway',
  kafka: 'Kafka broker SIGKILL + restart',
  redis: 'Redis SIGKILL + restart from AOF',
  postgres: 'PostgreSQL immediate stop + start',
};

export function tableOf(rounds: readonly RoundResult[]): string {
  const rows = rounds.map((r) => {
    const recovery = `back ${secs(r.backSeconds)}, answers ${secs(r.answersSeconds)}, settled ${secs(r.settledSeconds)} (last payment sent at ${secs(r.lastPaymentSeconds)})`;
    const audit = r.audit.ok ? 'clean' : `**FAILED**: ${r.audit.checks.filter((c) => !c.ok).map((c) => `${c.name} (${c.detail})`).join('; ')}`;
    return `| ${FAULT_LABEL[r.fault]} | ${r.inFlight} | ${recovery} | ${audit} | ${bookingsOf(r).text} | ${placesOf(r).text} | ${verifyOf(r).text} | ${r.deadLetters.length} | ${verdictOf(r)} |`;
  });
  return `| fault | in flight at the fault | recovery (from the fault) | audit | bookings | waiting-room places | event store verify | dead letters | verdict |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`;
}

export function faultsSection(config: FaultsConfig, rounds: readonly RoundResult[], meta: { started: string; loadAtStart: number; stackCommand: string; shared: string[] }): string {
  const details = rounds.map((r) => {
    const letters = r.deadLetters.map((l) => `    - \`${l.topic}\` partition ${l.partition} offset ${l.offset}, key ${l.key}, ${l.eventType || 'no type'}, parked by ${l.consumer || '?'}: ${l.reason}`);
    const stuck = r.nonTerminal.slice(0, 5).map((b) => `    - booking \`${b.id}\` ${b.status} (held until ${b.heldUntil ?? '—'}, last change ${b.updatedAt ?? '—'})`);
    const losses = [...r.tickets.lost, ...r.tickets.changed].slice(0, 5).map((l) => `    - fan ${l.fan}: before ${JSON.stringify(l.before)}, after ${JSON.stringify(l.after)}`);
    return [
      `- **${FAULT_LABEL[r.fault]}**: ${r.action}. Holds: wave 1 ${r.holds.waveA.held.length} bookings (other errors ${counts(r.holds.waveA.otherErrors)}), wave 2 (during the fault) ${r.holds.waveB.held.length} bookings (other errors ${counts(r.holds.waveB.otherErrors)}); ${r.unreportedHolds} holds made but never reported to their fan, found under \`myBookings\` and paid. Payments answered: ${counts(r.payAnswers)}; transient failures the fans retried through: ${counts(r.payRetries)}. Probe errors until the system answered: ${counts(r.probeErrors)}. Error-level log lines: ${counts(r.errorLines)}. Logs: \`${r.logDir.replace(/^.*\/\.run\//, '.run/')}\`.`,
      ...letters,
      ...stuck,
      ...losses,
    ].join('\n');
  });
  return `## Faults: a crash in the middle of an on-sale (issue 13)

Command: \`${config.command}\` — measured ${meta.started} on ${machineLine()}; load average ${meta.loadAtStart.toFixed(2)} at the start.
The box is shared (${os.cpus().length} cores, other people's test runs beside this one), so times move from run to run; they are what this
run measured, not limits, and nothing here passes or fails on a wall-clock threshold.

Each fault gets its own round on a fresh isolated system (own databases, Redis prefix, Kafka topics, event store database, ports),
all on a stack of its own: \`${meta.stackCommand}\` (PostgreSQL, Redis, Kafka, FerretDB on
ports ${'15432, 16379, 19092/19093, 27018'}; ${meta.shared.length > 0 ? `the Kafka jars and the FerretDB binary are the default stack's, shared by symlink (${meta.shared.join('; ')}), so nothing is downloaded or built` : 'jars and binary as up.sh found them'}).
The default stack on 5432, 6379, 9092 and 27017 is never signalled; processes of the fault stack are killed by the pid files under
\`.local/faults-stack/run/\` after checking their command line names that stack. A round: the on-sale bench's schedule (\`bench/onsale/setup.ts\`),
${config.seats} seats, ${config.fans} fans admitted (${config.shortFraction * 100}% short of money) and ${config.waiters} more who queue behind a paused room;
wave 1 (${Math.ceil(config.fans / 2)} fans) holds (\`bench/onsale/hold-phase.ts\`, ${config.concurrency} at a time); then wave 2 holds while
wave 1 pays at ${config.payRate}/s, and ${config.faultAfterSeconds} s later the fault. A killed service is started again at once with the same
environment (\`killService\` + \`restartService\`); a killed stack process with the same \`up.sh --only …\`. The fans behave as an app does: a failed call is
retried with the same idempotency key until the system answers it, a fan whose hold got no answer looks under \`myBookings\`,
and a payment refused for good is followed by \`cancelBooking\`.

- **back**: the fault until the killed process is ready again (\`/ready\`, which also waits for the service's Kafka consumers to run, so after a
  SIGKILL it includes the consumer group dropping the dead member; or \`up.sh\` done). **answers**: until the first probe through the
  gateway that every subgraph answers without an error (\`me { wallet }\`, \`concerts\`, \`queueStats\`, \`scheduleBookings\`, \`streamEvents\`;
  Kafka is not on that path, so it answers at once there). **settled**: until every booking of the round is terminal and the catalog's
  seat status agrees with the claims — wave 2 pays once the restart is done, so for a killed service this includes its readiness; it includes the load still being sent (the last payment's time is beside it) and the baseline row
  shows what the same load takes with no fault.
- **audit**: \`bench/onsale/audit.ts\` on the round's databases (no seat sold twice, claims mirror bookings, one payment per confirmed booking,
  wallets = ledger, charges, debits − refunds = confirmed amounts, catalog = claims, the bookings are exactly those the fans hold, prices, outcomes).
- **waiting-room places**: every fan's \`queueTicket\` (token, number) read before the fault and after settling, with their own token;
  \`QUEUE_TOKEN_INVALID\` or another number would be a lost place. The ${config.waiters} fans behind the paused room should still be waiting.
- **event store verify**: \`history:verify\` as the on-sale bench runs it (\`bench/onsale/history-audit.ts\`), after the archiver holds every outbox event.
- **dead letters**: every message on the round's \`*.dlq\` topics (\`kcat\` on the fault stack's broker), with its reason.

${tableOf(rounds)}

Per round:

${details.join('\n')}
`;
}
