/**
 * The operator's history commands (README, "History: replay, verify, restore"):
 *   verify   fold every booking and wallet stream of the store and compare them with booking's
 *            and payment's tables (read-only); exit 1 on any difference
 *   replay   drop a read model and its checkpoint and rebuild it from position 0
 *   restore  rebuild booking's tables from the store into an empty database
 * This file is the composition root: it alone may wire one subgraph's code next to another's
 * (booking's tables, history's folds), which the subgraphs themselves must not import.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { z } from 'zod';
import { HISTORIC, type DatabaseName } from '@ticketing/contracts';
import { createEventStore, MongoClient } from '@ticketing/event-store';
import { createLogger, createPgPool, createRedis } from '@ticketing/platform';
import { readBookingStates, restoreBookingTables } from '../subgraphs/booking/src/adapters/restore/pg-booking.restore';
import { replayProjection, type ReplayOutcome } from '../subgraphs/history/src/application/replay-projection';
import { verifyState, type VerifyReport, type WalletState } from '../subgraphs/history/src/application/verify-state';
import { createMongoCheckpointStore } from '../subgraphs/history/src/adapters/mongo/mongo-checkpoint.store';
import { createRedisLease } from '../subgraphs/history/src/adapters/redis/redis-lease';
import { createRedisSalesNotifier } from '../subgraphs/history/src/adapters/redis/redis-sales.notifier';
import { historyConfigSchema } from '../subgraphs/history/src/config';
import { describeDifference } from '../subgraphs/history/src/domain/state-diff';
import { projectionLeaseKey } from '../subgraphs/history/src/main';
import { createProjections } from '../subgraphs/history/src/projections';
import { DATABASES, databaseUrl } from '../infra/services';
import { runPrisma } from './prisma';

const defaultUrl = (name: DatabaseName) => databaseUrl(DATABASES.find((db) => db.name === name)!.pgDatabase);

/** The same variables, and defaults, the services read. */
const envSchema = historyConfigSchema
  .pick({ EVENT_STORE_URL: true, REDIS_URL: true, REDIS_KEY_PREFIX: true, PROJECTION_BATCH_SIZE: true, PROJECTION_MAX_GAP_WAIT_MS: true, PROJECTION_LEASE_TTL_MS: true })
  .extend({
    BOOKING_DATABASE_URL: z.string().min(1).default(defaultUrl('booking')),
    PAYMENT_DATABASE_URL: z.string().min(1).default(defaultUrl('payment')),
  });
export type HistoryToolsEnv = z.infer<typeof envSchema>;
export const loadToolsEnv = (env: NodeJS.ProcessEnv = process.env): HistoryToolsEnv => envSchema.parse(env);

type Print = (line: string) => void;
const quiet: Print = () => undefined;

/** A line every `every` events with the rate so far, and a closing summary line. */
function progress(label: string, print: Print, every = 5_000) {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const rate = (count: number) => Math.round(count / Math.max(seconds(), 0.001)).toLocaleString('en-US');
  return {
    tick(count: number) {
      if (count % every === 0) print(`[${label}] ${count.toLocaleString('en-US')} events, ${rate(count)} events/s`);
    },
    done(count: number, what = 'events') {
      print(`[${label}] ${count.toLocaleString('en-US')} ${what} in ${seconds().toFixed(1)} s (${rate(count)} events/s)`);
    },
  };
}

/** A pool whose every transaction is read-only: verify must never write a service's tables. */
const readOnlyPool = (url: string) =>
  createPgPool(url, { max: 2, logger: createLogger('history-verify', 'warn'), name: 'history-verify', options: '-c default_transaction_read_only=on' });

async function readWalletStates(pool: Pool): Promise<Map<string, WalletState>> {
  const { rows } = await pool.query<{ user_id: string; balance: number; version: number }>('SELECT user_id, balance, version FROM wallets');
  return new Map(rows.map((row) => [row.user_id, { balance: row.balance, version: row.version }]));
}

export interface VerifyOptions {
  env: HistoryToolsEnv;
  /** Compare with this booking database instead of BOOKING_DATABASE_URL (a restored copy). */
  bookingDb?: string;
  print?: Print;
}

/** `history:verify` as a function: the report; the CLI prints it and exits 1 on any difference. */
export async function runVerify(options: VerifyOptions): Promise<VerifyReport> {
  const print = options.print ?? quiet;
  const store = createEventStore({ url: options.env.EVENT_STORE_URL, upcasters: HISTORIC });
  const bookings = readOnlyPool(options.bookingDb ?? options.env.BOOKING_DATABASE_URL);
  const payments = readOnlyPool(options.env.PAYMENT_DATABASE_URL);
  const meter = progress('verify', print);
  try {
    const report = await verifyState({
      events: store.iterateAll({ after: 0 }),
      state: { bookings: () => readBookingStates(bookings), wallets: () => readWalletStates(payments) },
      onEvent: meter.tick,
    });
    meter.done(report.eventsRead, 'events folded');
    for (const difference of report.differences) print(`  ${describeDifference(difference)}`);
    print(`[verify] bookings: ${report.bookings.inStore} in the store, ${report.bookings.inDatabase} in the database`);
    print(`[verify] wallets: ${report.wallets.inStore} in the store, ${report.wallets.inDatabase} in the database`);
    print(`[verify] ${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}`);
    return report;
  } finally {
    await Promise.all([store.close(), bookings.end(), payments.end()]);
  }
}

/** `history:replay` as a function: one outcome per projection, in order; stops at the first refusal. */
export async function runReplay(options: { env: HistoryToolsEnv; projection?: string; print?: Print }): Promise<ReplayOutcome[]> {
  const print = options.print ?? quiet;
  const { env } = options;
  const store = createEventStore({ url: env.EVENT_STORE_URL, upcasters: HISTORIC });
  const client = new MongoClient(env.EVENT_STORE_URL, { appName: 'ticketing-history-replay' });
  const redis = createRedis(env.REDIS_URL, env.REDIS_KEY_PREFIX);
  try {
    // Dashboards rebuilt by a replay announce their moves like live ones: a watching admin sees the rebuild.
    const catalogue = createProjections(client.db(), createRedisSalesNotifier(redis, env.REDIS_KEY_PREFIX)).projections;
    const names = options.projection ? [options.projection] : Object.keys(catalogue);
    const outcomes: ReplayOutcome[] = [];
    for (const name of names) {
      const target = catalogue[name];
      if (!target) throw new UsageError(`unknown projection "${name}" (known: ${Object.keys(catalogue).join(', ')})`);
      const meter = progress(`replay ${name}`, print);
      const outcome = await replayProjection({
        target,
        source: store,
        checkpoints: createMongoCheckpointStore(client.db()),
        lease: createRedisLease(redis, projectionLeaseKey(store.databaseName, name), env.PROJECTION_LEASE_TTL_MS),
        logger: createLogger('history-replay', 'warn'),
        batchSize: env.PROJECTION_BATCH_SIZE,
        maxGapWaitMs: env.PROJECTION_MAX_GAP_WAIT_MS,
        renewEveryMs: Math.floor(env.PROJECTION_LEASE_TTL_MS / 3),
        onApplied: (applied) => meter.tick(applied),
      });
      outcomes.push(outcome);
      if (outcome.kind === 'LeaseHeld') {
        print(`[replay ${name}] refused: a running history instance holds this projection's lease; stop it (npm stop, or the history process) and run the replay again`);
        break;
      }
      meter.done(outcome.applied, `events applied, checkpoint ${outcome.checkpoint},`);
    }
    return outcomes;
  } finally {
    await Promise.allSettled([store.close(), client.close(), redis.quit()]);
  }
}

export type RestoreResult = Awaited<ReturnType<typeof restoreBookingTables>>;

/** Any row in any table but Prisma's bookkeeping: a database to refuse. */
async function firstNonEmptyTable(pool: Pool): Promise<string | null> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  for (const { name } of tables) {
    const { rows } = await pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${name}) AS any`);
    if (rows[0]!.any) return name;
  }
  return null;
}

/**
 * `history:restore --service booking` as a function: refuses a database with any row, migrates
 * it with the project's recipe (prisma migrate deploy), then writes booking's tables from the store.
 */
export async function runRestore(options: { env: HistoryToolsEnv; into: string; print?: Print }): Promise<RestoreResult> {
  const print = options.print ?? quiet;
  const pool = createPgPool(options.into, { max: 2, logger: createLogger('history-restore', 'warn'), name: 'history-restore' });
  const store = createEventStore({ url: options.env.EVENT_STORE_URL, upcasters: HISTORIC });
  // One restore per target database at a time (advisory locks are per database): a second one
  // waits here, then finds rows and is refused, instead of racing the first through the migration.
  const holder = await pool.connect();
  try {
    await holder.query(`SELECT pg_advisory_lock(hashtextextended('history-restore', 0))`);
    const occupied = await firstNonEmptyTable(pool);
    if (occupied) return { kind: 'NotEmpty', table: occupied };
    print('[restore] migrating the target database (prisma migrate deploy)');
    await runPrisma(['migrate', 'deploy'], 'booking', { ...process.env, BOOKING_DATABASE_URL: options.into });
    const meter = progress('restore booking', print);
    const outcome = await restoreBookingTables(pool, store.iterateAll({ after: 0 }), meter.tick);
    if (outcome.kind === 'Restored') {
      meter.done(outcome.eventsRead, 'events read');
      print(`[restore] ${outcome.bookings} bookings, ${outcome.seatClaims} seat claims, ${outcome.transitions} transitions written`);
    }
    return outcome;
  } finally {
    // Ending the session releases the lock.
    holder.release(true);
    await Promise.all([pool.end(), store.close()]);
  }
}

class UsageError extends Error {}

const USAGE = `usage:
  npm run history:verify [-- --booking-db <url>]
  npm run history:replay [-- --projection <name>]
  npm run history:restore -- --service booking --into <database url>`;

async function restoreCommand(env: HistoryToolsEnv, service: string | undefined, into: string | undefined, print: Print): Promise<number> {
  if (service !== 'booking') throw new UsageError(`--service booking is the only service restore rebuilds (got ${service ?? 'none'})`);
  if (!into) throw new UsageError('--into <database url> is required');
  const outcome = await runRestore({ env, into, print });
  switch (outcome.kind) {
    case 'Restored':
      print(`[restore] done; check it with: npm run history:verify -- --booking-db '${into}'`);
      return 0;
    case 'NotEmpty':
      print(`[restore] refused: table ${outcome.table} of the target database has rows; restore only into an empty database`);
      return 1;
    case 'Unrestorable':
      for (const problem of outcome.problems) print(`  booking ${problem.bookingId}: ${problem.reason}`);
      print(`[restore] refused: ${outcome.problems.length} booking stream(s) cannot be restored; nothing was written`);
      return 1;
  }
}

/** Exit codes: 0 done and consistent, 1 differences found or refused, 2 usage or failure. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { 'booking-db': { type: 'string' }, projection: { type: 'string' }, service: { type: 'string' }, into: { type: 'string' } },
    strict: true,
  });
  const env = loadToolsEnv();
  const print: Print = (line) => console.log(line);
  switch (command) {
    case 'verify': {
      const report = await runVerify({ env, print, ...(values['booking-db'] ? { bookingDb: values['booking-db'] } : {}) });
      return report.differences.length === 0 ? 0 : 1;
    }
    case 'replay': {
      const outcomes = await runReplay({ env, print, ...(values.projection ? { projection: values.projection } : {}) });
      return outcomes.every((outcome) => outcome.kind === 'Replayed') ? 0 : 1;
    }
    case 'restore':
      return restoreCommand(env, values.service, values.into, print);
    case undefined:
    default:
      throw new UsageError(`unknown command ${command ?? '(none)'}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
      process.exit(2);
    },
  );
}
