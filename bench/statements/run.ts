/**
 * `npm run bench:statements`: what preparing statements saves (issue 10). The booking subgraph's
 * own writer and store run a hold (the fan's seat count under its lock, the row with its claims
 * and history, the outbox) and a read of the booking, on a scratch database, through two pools
 * that differ only in `maxPreparedStatements`: 200 (what the services run, PG_PREPARED_STATEMENTS)
 * and 0 (every statement parsed and planned each time). Each pool holds one connection, so its
 * backend's CPU is read from /proc; the rounds alternate between the pools, so the shared box's
 * drift falls on both alike, and each number is the median of its rounds.
 *
 *   BENCH_STATEMENT_ROUNDS=4 BENCH_STATEMENT_HOLDS=1000 npm run bench:statements
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Pool } from 'pg';
import { createLogger, createPgPool } from '@ticketing/platform';
import { createScratchDatabase, ensureLocalStack } from '@ticketing/test-support';
import { hold } from '../../subgraphs/booking/src/domain/booking';
import { createPgBookingWriter } from '../../subgraphs/booking/src/adapters/persistence/pg-booking.writer';
import { createPgBookingStore } from '../../subgraphs/booking/src/adapters/persistence/pg-booking.store';
import { recordFanHold } from '../../subgraphs/booking/src/application/record-transition';
import { processTicks, TICKS_PER_SECOND } from '../lib/proc-stat';
import { machineLine, writeSection } from '../lib/report';

const config = z
  .object({
    BENCH_STATEMENT_ROUNDS: z.coerce.number().int().min(1).default(4),
    BENCH_STATEMENT_HOLDS: z.coerce.number().int().min(10).default(1000),
  })
  .parse(process.env);

const log = (line: string) => console.log(`[bench:statements] ${line}`);

/** CPU milliseconds a process has used (user + system), from /proc/<pid>/stat. */
const processCpuMs = (pid: number) => (processTicks(pid) * 1000) / TICKS_PER_SECOND;

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

interface Mode {
  label: string;
  pool: Pool;
  backendPid: number;
  samples: { holdServer: number[]; holdClient: number[]; readServer: number[]; readClient: number[] };
}

async function openMode(label: string, url: string, maxPreparedStatements: number): Promise<Mode> {
  const pool = createPgPool(url, { max: 1, logger: createLogger('bench-statements', 'warn'), name: `bench-${label}`, maxPreparedStatements });
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { label, pool, backendPid: rows[0]!.pid, samples: { holdServer: [], holdClient: [], readServer: [], readClient: [] } };
}

const causation = { correlationId: 'bench-statements', causationId: null };

/** One fan's hold of three seats, as the hold command writes it (the seat count under the fan's lock first). */
async function writeHold(pool: Pool): Promise<string> {
  const userId = randomUUID();
  const scheduleId = randomUUID();
  const decided = hold(
    {
      bookingId: randomUUID(),
      userId,
      scheduleId,
      queueTicketId: randomUUID(),
      seats: [randomUUID(), randomUUID(), randomUUID()].map((seatId) => ({ seatId, price: 55_000 })),
      holdTtlSeconds: 600,
    },
    new Date(),
  );
  if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
  await recordFanHold(createPgBookingWriter(pool), decided, causation, { maxSeatsPerFan: 4 });
  return decided.booking.id;
}

/** Runs `work` `times` times; the backend's and this process's CPU per call. */
async function measure(mode: Mode, times: number, work: (i: number) => Promise<unknown>): Promise<{ server: number; client: number }> {
  const server = processCpuMs(mode.backendPid);
  const client = ownCpuMs();
  for (let i = 0; i < times; i++) await work(i);
  return { server: (processCpuMs(mode.backendPid) - server) / times, client: (ownCpuMs() - client) / times };
}

async function main() {
  ensureLocalStack();
  log(`machine: ${machineLine()}`);
  const db = await createScratchDatabase('booking');
  const modes = [await openMode('prepared', db.url, 200), await openMode('unprepared', db.url, 0)];
  try {
    // Warm both connections and the JIT; the first runs of a prepared statement are planned afresh anyway.
    for (const mode of modes) for (let i = 0; i < 50; i++) await writeHold(mode.pool);
    const holds = config.BENCH_STATEMENT_HOLDS;
    for (let round = 1; round <= config.BENCH_STATEMENT_ROUNDS; round++) {
      for (const mode of round % 2 === 1 ? modes : [...modes].reverse()) {
        const ids: string[] = [];
        const written = await measure(mode, holds, async () => ids.push(await writeHold(mode.pool)));
        const store = createPgBookingStore(mode.pool);
        const read = await measure(mode, holds, (i) => store.findByIds([ids[i]!]));
        mode.samples.holdServer.push(written.server);
        mode.samples.holdClient.push(written.client);
        mode.samples.readServer.push(read.server);
        mode.samples.readClient.push(read.client);
        log(`round ${round} ${mode.label}: hold ${round3(written.server)} ms PostgreSQL + ${round3(written.client)} ms client, read ${round3(read.server)} + ${round3(read.client)} ms`);
      }
    }
  } finally {
    for (const mode of modes) await mode.pool.end();
    await db.drop();
  }

  const row = (mode: Mode) =>
    `| ${mode.label} | ${round3(median(mode.samples.holdServer))} | ${round3(median(mode.samples.holdClient))} | ${round3(median(mode.samples.readServer))} | ${round3(median(mode.samples.readClient))} |`;
  const [prepared, unprepared] = modes as [Mode, Mode];
  const saved = (key: keyof Mode['samples']) => Math.round((1 - median(prepared.samples[key]) / median(unprepared.samples[key])) * 100);
  const command = `BENCH_STATEMENT_ROUNDS=${config.BENCH_STATEMENT_ROUNDS} BENCH_STATEMENT_HOLDS=${config.BENCH_STATEMENT_HOLDS} npm run bench:statements`;
  const summary = `prepared statements save ${saved('holdServer')}% of PostgreSQL's CPU per hold transaction and ${saved('readServer')}% per booking read`;
  log(summary);
  log(`command: ${command}`);
  writeSection(
    'statements',
    `## PostgreSQL statements: prepared against parsed every time (issue 10)

Command: \`${command}\` — measured ${new Date().toISOString()} on ${machineLine()}. Booking's own writer and store on a
scratch database: a hold transaction (BEGIN, the fan's seat count under its lock, the row with its claims and history, the outbox,
COMMIT) and a read of that booking by id, ${config.BENCH_STATEMENT_HOLDS} of each per round, through two pools of one connection each
that differ only in \`maxPreparedStatements\` (200 as the services run, 0). ${config.BENCH_STATEMENT_ROUNDS} rounds alternating between
the pools; medians of the rounds. PostgreSQL's CPU is its backend's, from /proc; the client's is this process's.

| pool | hold: PostgreSQL ms | hold: client ms | read: PostgreSQL ms | read: client ms |
|---|---|---|---|---|
${row(prepared)}
${row(unprepared)}

So ${summary}.`,
  );
  log('wrote BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
