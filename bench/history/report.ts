/** The history section of BENCHMARKS.md: archive and replay rates beside the store's raw insert ceiling of the same run. */
import { summarizeProfile, topFunctions } from '../lib/profile';
import { machineLine } from '../lib/report';
import type { ArchiveResult } from './archive';
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
  /** The same archive with the live projections idle, on top of the first backlog. */
  archiveAlone: CpuSplit<ArchiveResult>;
  replays: Array<CpuSplit<ReplayResult>>;
  bare: CpuSplit<InsertCeiling>;
  indexed: CpuSplit<InsertCeiling>;
  /** Profiles by phase and process, when BENCH_PROFILE=1. */
  profiles?: Record<string, string>;
}): string {
  const { config, archive, archiveAlone, bare, indexed } = input;
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

The events: ${a.events} envelopes per backlog (${a.events + b.events} in the store for the replays and the ceilings) of a whole on-sale, built with the contracts' producer (\`createEvent\`, every payload checked): per fan
UserRegistered, WalletCharged, FanAdmitted, SeatsHeld, PaymentRequested, then WalletDebited, PaymentCompleted, BookingConfirmed (v2),
TicketRetired, or (${Math.round(config.shortFraction * 100)}% of fans, short of money) PaymentFailed and BookingCancelled; ${config.schedules} schedules.

| measure | rate | CPU µs per event, by process | vs ceiling |
|---|---|---|---|
| ceiling: raw \`insertMany\` of the same documents into a scratch collection of the same database, ${bare.result.batchSize} per call, one call at a time, only \`_id\` | **${bare.result.perSecond} events/s** (${bare.result.seconds} s) | ${formatSplit(bare)} | |
| ceiling: the same, with the indexes \`events\` has (${indexed.result.indexes.join(', ')}) | **${indexed.result.perSecond} events/s** (${indexed.result.seconds} s) | ${formatSplit(indexed)} | |
| archive: a backlog of ${a.events} events waiting on Kafka, drained by the history process's archiver (its own consumer group) | **${a.perSecond} events/s** (${a.seconds} s from the first stored event's \`recordedAt\` to the last one seen stored) | ${formatSplit(archive)} (over the ${a.events - a.storedBeforeReady} events stored after the process answered ready) | ${share(a.perSecond, indexed.result.perSecond)}% of the indexed ceiling |
| archive again: another ${b.events} events on top, no projection running (\`PROJECTIONS=none\`) | **${b.perSecond} events/s** (${b.seconds} s) | ${formatSplit(archiveAlone)} (over ${b.events - b.storedBeforeReady} events) | ${share(b.perSecond, indexed.result.perSecond)}% of the indexed ceiling |
${replayRows.join('\n')}

How each number is taken. *Archive*: the history process is stopped, the backlog is published to the run's topics as the outbox
relays publish (key = stream id, ${a.publishPerSecond} events/s with acks=all), the process is started again; its live
projections run meanwhile (reading the store by position), as in production; the second backlog measures the archiver alone. *Replay*: the history process is stopped (a replay needs the
projection's lease), the store has settled past the gap wait, then each projection of \`createProjections\` is rebuilt by
\`runReplay\` (scripts/history.ts), timed around the whole call (drop, rebuild through one cursor, checkpoint), ${input.batchSize} events per
batch (\`PROJECTION_BATCH_SIZE\`). *Ceilings*: after the replays, the same documents the store holds (envelope, \`globalPosition\`,
\`recordedAt\`), dropped afterwards. CPU per event: each process's CPU during the phase over its events (the replay and the ceilings
run in the bench process; FerretDB and Kafka from /proc, including any other run's use of them).
${profiled ? `\n| profile | by package (self time) | hottest functions (self time) |\n|---|---|---|\n${profileRows(input.profiles!)}\n` : ''}`;
}
