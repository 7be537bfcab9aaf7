/** The history section of BENCHMARKS.md: archive and replay rates beside the store's raw insert ceiling of the same run. */
import { summarizeProfile, topFunctions } from '../lib/profile';
import { machineLine } from '../lib/report';
import type { ArchiveResult, LiveResult } from './archive';
import type { HistoryBenchConfig } from './config';
import { formatSplit, type CpuSplit } from './cpu-split';
import type { InsertCeiling } from './insert-ceiling';
import type { ReplayResult } from './replay';

/** Issue 9: a replay must reach at least half of what the store can insert raw. */
export const TARGET_REPLAY_SHARE = 50;

const verdict = (met: boolean) => (met ? 'met' : '**not met**');
const share = (rate: number, ceiling: number) => Math.round((rate / ceiling) * 100);

function profileRows(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([name, file]) => {
      const categories = summarizeProfile(file, 8).map((c) => `${c.category} ${c.percent}%`).join(', ');
      const functions = topFunctions(file, 8).map((f) => `${f.name} ${f.percent}%`).join(', ');
      return `| ${name} | ${categories} | ${functions} |`;
    })
    .join('\n');
}

export function historySection(input: {
  config: HistoryBenchConfig;
  batchSize: number;
  busyBefore: Record<string, number>;
  archive: CpuSplit<ArchiveResult>;
  /** Events at a steady rate with the live projections running (the on-sale's regime). */
  live?: CpuSplit<LiveResult>;
  /** The same archive with the live projections idle, on top of the first backlog. */
  archiveAlone: CpuSplit<ArchiveResult>;
  replays: Array<CpuSplit<ReplayResult>>;
  bare: CpuSplit<InsertCeiling>;
  indexed: CpuSplit<InsertCeiling>;
  /** Profiles by phase and process, when BENCH_PROFILE=1. */
  profiles?: Record<string, string>;
}): string {
  const { config, archive, live, archiveAlone, bare, indexed } = input;
  const liveRow = live
    ? `| live: ${live.result.events} more events published at ${config.liveRate}/s while the history process and its projections run (the on-sale's regime), on top of the first backlog, once the projections had caught up with it (not measured) | **${live.result.publishedPerSecond} events/s** published, every projection caught up ${live.result.settleSeconds} s after the last | ${formatSplit(live)} | |\n`
    : '';
  const a = archive.result;
  const b = archiveAlone.result;
  const busy = Object.entries(input.busyBefore)
    .map(([what, percent]) => `${what} ${percent}%`)
    .join(', ');
  const replayRows = input.replays.map((replay) => {
    const r = replay.result;
    const ratio = share(r.perSecond, bare.result.perSecond);
    return `| replay \`${r.projection}\` (\`npm run history:replay -- --projection ${r.projection}\`, drop + rebuild from position 0) | **${r.perSecond} events/s** (${r.applied} events, ${r.seconds} s) | ${formatSplit(replay)} | ${ratio}% of the bare ceiling, ${share(r.perSecond, indexed.result.perSecond)}% of the indexed one: ≥ ${TARGET_REPLAY_SHARE}% ${verdict(ratio >= TARGET_REPLAY_SHARE)} |`;
  });
  const profiled = input.profiles && Object.keys(input.profiles).length > 0;
  return `## History: archive and replay (issue 9)

Command: \`${config.command}\` — ${profiled ? '**profiled run** (every rate below is slowed by the profiler; read the profiles, not the rates)' : 'measured'} ${new Date().toISOString()} on ${machineLine()},
with the history process, Kafka, Redis and FerretDB 1.24 (SQLite) on the box, in an isolated system of its own (store database,
topics, consumer group, Redis prefix). The box is shared with other people's test runs: numbers move between runs, so compare
only within this section. Busy share of all cores just before each measurement (after waiting up to ${config.quietWaitSeconds} s for a quiet moment): ${busy || 'not checked'}.

The events: ${a.events} envelopes per backlog (${a.events + b.events} in the store for the replays and the ceilings) of a whole on-sale, built with the contracts' producer (\`createEvent\`, every payload checked; the live phase's ${live?.result.events ?? 0} are in the store too): per fan
UserRegistered, WalletCharged, FanAdmitted, SeatsHeld, PaymentRequested, then WalletDebited, PaymentCompleted, BookingConfirmed (v2),
TicketRetired, or (${Math.round(config.shortFraction * 100)}% of fans, short of money) PaymentFailed and BookingCancelled; ${config.schedules} schedules.

| measure | rate | CPU µs per event, by process | vs ceiling |
|---|---|---|---|
| ceiling: raw \`insertMany\` of the same documents into a scratch collection of the same database, ${bare.result.batchSize} per call, one call at a time, only \`_id\` | **${bare.result.perSecond} events/s** (${bare.result.seconds} s) | ${formatSplit(bare)} | |
| ceiling: the same, with the indexes \`events\` has (${indexed.result.indexes.join(', ')}) | **${indexed.result.perSecond} events/s** (${indexed.result.seconds} s) | ${formatSplit(indexed)} | |
| archive: a backlog of ${a.events} events waiting on Kafka, drained by the history process's archiver (its own consumer group) | **${a.perSecond} events/s** (${a.seconds} s from the first stored event's \`recordedAt\` to the last one seen stored) | ${formatSplit(archive)} (over the ${a.events - a.storedBeforeReady} events stored after the process answered ready) | ${share(a.perSecond, indexed.result.perSecond)}% of the indexed ceiling |
${liveRow}| archive again: another ${b.events} events on top, no projection running (\`PROJECTIONS=none\`) | **${b.perSecond} events/s** (${b.seconds} s) | ${formatSplit(archiveAlone)} (over ${b.events - b.storedBeforeReady} events) | ${share(b.perSecond, indexed.result.perSecond)}% of the indexed ceiling |
${replayRows.join('\n')}

How each number is taken. *Archive*: the history process is stopped, the backlog is published to the run's topics as the outbox
relays publish (key = stream id, ${a.publishPerSecond} events/s with acks=all), the process is started again; its live
projections run meanwhile (reading the store by position), as in production; the second backlog measures the archiver alone. The
end is seen from the history process's own count of appended events (\`history_archived_events_total\`), so the bench sends no
query that scans \`events\` during a measured phase (a count or sort scans the whole collection on FerretDB). *Replay*: the history process is stopped (a replay needs the
projection's lease), the store has settled past the gap wait, then each projection of \`createProjections\` is rebuilt by
\`runReplay\` (scripts/history.ts), timed around the whole call (drop, rebuild through one cursor, checkpoint), ${input.batchSize} events per
batch (\`PROJECTION_BATCH_SIZE\`). *Ceilings*: after the replays, the same documents the store holds (envelope, \`globalPosition\`,
\`recordedAt\`), dropped afterwards. CPU per event: each process's CPU during the phase over its events (the replay and the ceilings
run in the bench process; Kafka from /proc, including any other run's use of it). \`ferretdb\` is the FerretDB process serving this
run's store (the one listening on \`EVENT_STORE_URL\`'s port, from /proc, including any other run's use of it);
\`ferretdb (other instances)\` is every other FerretDB on the box (other stacks), shown apart.
${profiled ? `\n| profile | by package (self time) | hottest functions (self time) |\n|---|---|---|\n${profileRows(input.profiles!)}\n` : ''}`;
}
