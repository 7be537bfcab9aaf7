import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createEventStore, MongoClient } from '@ticketing/event-store';
import {
  addSeats,
  admitFreely,
  admittedFan,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  eventually,
  gql,
  holdSeats,
  logInAdmin,
  openSchedule,
  payBooking,
  restartService,
  sql,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type AdmittedFan,
  type IsolatedSystem,
} from '@ticketing/test-support';
import { PG_ADMIN_URL, ROOT, databaseUrl } from '../../../infra/services';
import { loadToolsEnv, runReplay, runRestore, runVerify, type HistoryToolsEnv } from '../../../scripts/history';
import { BOOKING_TIMELINE } from '../src/application/booking-timeline.projection';
import { CHECKPOINTS_COLLECTION } from '../src/adapters/mongo/mongo-checkpoint.store';
import { TIMELINES_COLLECTION } from '../src/adapters/mongo/mongo-timeline.store';

/*
 * history:verify, history:restore and history:replay against a whole system of their own (holds
 * lapse after 4 s so one can expire for real): real bookings through the gateway, archived by
 * the real history process, compared with booking's and payment's real tables.
 */
const PRICE = 30_000;
const exec = promisify(execFile);

let system: IsolatedSystem;
let env: HistoryToolsEnv;
let scheduleId: string;
let seats: string[];
let nextSeat = 0;
const takeSeats = (n: number) => seats.slice(nextSeat, (nextSeat += n));
const bookings: Record<'confirmed' | 'cancelled' | 'expired' | 'unpaid' | 'refunded' | 'comped', string> = {
  confirmed: '',
  cancelled: '',
  expired: '',
  unpaid: '',
  refunded: '',
  comped: '',
};

/** An admin's mutation through the gateway; throws with the errors if it was refused. */
async function asAdmin<T>(token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await gql<T>(query, variables, { token });
  if (response.errors || !response.data) throw new Error(`admin mutation failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

async function hold(fan: AdmittedFan, n: number): Promise<string> {
  const { booking, response } = await holdSeats(fan, scheduleId, takeSeats(n));
  if (!booking) throw new Error(`holdSeats failed: ${JSON.stringify(response.errors)}`);
  return booking.id;
}

/** The CLI as an operator runs it (`npm run history:verify` runs the same file through tsx). */
const cli = (args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/history.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...system.env } }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

/** Verify once the archiver has caught up: the saga is asynchronous, so differences vanish as events land. */
const verifiedClean = () => eventually(async () => (await runVerify({ env })).differences.length === 0 && true, 30_000, 'verify = 0 differences');

beforeAll(async () => {
  system = await startIsolatedSystem({
    label: 'histools',
    env: { HOLD_TTL_SECONDS: '4', SWEEP_INTERVAL_MS: '200', PROJECTION_MAX_GAP_WAIT_MS: '500', LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn' },
  });
  useTestSystem(system);
  env = loadToolsEnv({ ...process.env, ...system.env });
  scheduleId = await openSchedule();
  seats = await addSeats(scheduleId, 20, PRICE);
  await admitFreely(scheduleId);

  const [payer, canceller, sleeper, broke, refunder] = await Promise.all([1, 2, 3, 4, 5].map(() => admittedFan(scheduleId)));
  await chargeWallet(payer!, 100_000);
  await chargeWallet(canceller!, 50_000);
  await chargeWallet(refunder!, 50_000);
  bookings.refunded = await hold(refunder!, 1);
  await payBooking(refunder!, bookings.refunded);
  bookings.confirmed = await hold(payer!, 2);
  bookings.cancelled = await hold(canceller!, 1);
  bookings.expired = await hold(sleeper!, 1);
  bookings.unpaid = await hold(broke!, 1);
  await payBooking(payer!, bookings.confirmed);
  await payBooking(broke!, bookings.unpaid);
  const cancelled = await gql('mutation C($b: ID!) { cancelBooking(bookingId: $b) { status } }', { b: bookings.cancelled }, { token: canceller!.token });
  if (cancelled.errors) throw new Error(`cancelBooking failed: ${JSON.stringify(cancelled.errors)}`);
  await bookingReaches(payer!, bookings.confirmed, ['CONFIRMED']);
  await bookingReaches(broke!, bookings.unpaid, ['CANCELLED']);
  await bookingReaches(sleeper!, bookings.expired, ['EXPIRED']);
  // A refund by an admin, and a comp of a blocked seat: both kinds of booking the back office makes.
  await bookingReaches(refunder!, bookings.refunded, ['CONFIRMED']);
  const admin = await logInAdmin();
  await asAdmin(admin, 'mutation R($b: ID!) { refundBooking(bookingId: $b, reason: "history tools") { status } }', { b: bookings.refunded });
  const compSeats = takeSeats(1);
  await asAdmin(admin, 'mutation B($s: ID!, $seats: [ID!]!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: "guest list") { id } }', { s: scheduleId, seats: compSeats });
  const comp = await asAdmin<{ bookBlockedSeats: { id: string } }>(
    admin,
    'mutation C($s: ID!, $seats: [ID!]!) { bookBlockedSeats(scheduleId: $s, seatIds: $seats, guestName: "A guest") { id } }',
    { s: scheduleId, seats: compSeats },
  );
  bookings.comped = comp.bookBlockedSeats.id;
  await bookingReaches(refunder!, bookings.refunded, ['REFUNDED']);
}, 180_000);

afterAll(async () => {
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

describe('history:verify', () => {
  it('given confirmed, cancelled, expired, payment-failed, refunded and comped bookings and charged wallets, when the archiver has caught up, then the store folds to exactly the tables: 0 differences', async () => {
    await verifiedClean();
    const report = await runVerify({ env });

    expect(report.differences).toEqual([]);
    expect(report.bookings).toEqual({ inStore: 6, inDatabase: 6 });
    expect(report.wallets).toEqual({ inStore: 3, inDatabase: 3 });
    const statuses = await sql<{ status: string }>('booking', 'SELECT status::text FROM bookings ORDER BY status');
    expect(statuses.map((row) => row.status)).toEqual(['CANCELLED', 'CANCELLED', 'CONFIRMED', 'CONFIRMED', 'EXPIRED', 'REFUNDED']);
  });

  it('given the same system, when run as the CLI, then it prints progress and a summary and exits 0', async () => {
    const { code, stdout } = await cli(['verify']);

    expect(stdout).toMatch(/\[verify\] \d+ events folded in [\d.]+ s \(\d[\d,]* events\/s\)/);
    expect(stdout).toContain('[verify] 0 differences');
    expect(code).toBe(0);
  });

  it('given one booking row tampered with in PostgreSQL, then verify reports exactly that field with both values and the CLI exits 1', async () => {
    await sql('booking', `UPDATE bookings SET status = 'CANCELLED' WHERE id = $1`, [bookings.confirmed]);
    try {
      const report = await runVerify({ env });
      expect(report.differences).toEqual([{ kind: 'FieldMismatch', entity: 'booking', id: bookings.confirmed, field: 'status', store: 'CONFIRMED', database: 'CANCELLED' }]);

      const { code, stdout } = await cli(['verify']);
      expect(stdout).toContain(`booking ${bookings.confirmed}: status store="CONFIRMED" database="CANCELLED"`);
      expect(stdout).toContain('[verify] 1 difference');
      expect(code).toBe(1);
    } finally {
      await sql('booking', `UPDATE bookings SET status = 'CONFIRMED' WHERE id = $1`, [bookings.confirmed]);
    }
  });
});

describe('history:restore --service booking', () => {
  const name = `restore_${Date.now().toString(36)}`;
  const into = databaseUrl(name);
  const admin = async (statement: string) => {
    const client = new Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  beforeAll(() => admin(`CREATE DATABASE ${name}`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  /** Every column the events determine; payment_idempotency_key is not in any event. */
  const tables = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const rows = async (text: string) => (await client.query(text)).rows as unknown[];
      return {
        bookings: await rows(`SELECT id, user_id, schedule_id, status, amount, held_until, version, created_at, updated_at, queue_ticket_id, payment_id, payment_requested_at FROM bookings ORDER BY id`),
        // Bookings' claims: restore rebuilds bookings, not seat blocks (a comp's block is not restored).
        seatClaims: await rows('SELECT booking_id, seat_id, schedule_id, status, created_at FROM seat_claims WHERE booking_id IS NOT NULL ORDER BY booking_id, seat_id'),
        transitions: await rows('SELECT booking_id, version, status, at, reason FROM booking_transitions ORDER BY booking_id, version'),
      };
    } finally {
      await client.end();
    }
  };

  it('given a brand-new empty database, when booking is restored into it from the store, then it is migrated, its tables equal the live ones and verify against it finds 0 differences', async () => {
    await verifiedClean();

    const outcome = await runRestore({ env, into });

    expect(outcome).toMatchObject({ kind: 'Restored', bookings: 6, seatClaims: 7 });
    expect(await tables(into)).toEqual(await tables(system.env['BOOKING_DATABASE_URL']!));
    const report = await runVerify({ env, bookingDb: into });
    expect(report.differences).toEqual([]);
    expect(report.bookings).toEqual({ inStore: 6, inDatabase: 6 });
  });

  it('given a database that already has rows, then restore refuses it and writes nothing', async () => {
    const before = await tables(into);

    expect(await runRestore({ env, into })).toEqual({ kind: 'NotEmpty', table: expect.any(String) });
    expect(await tables(into)).toEqual(before);
    expect(await runRestore({ env, into: system.env['BOOKING_DATABASE_URL']! })).toMatchObject({ kind: 'NotEmpty' });
  });

  it('given 3 restores racing into one empty database, then exactly one writes and the others are refused: every booking once', async () => {
    const racedName = `${name}_race`;
    await admin(`CREATE DATABASE ${racedName}`);
    try {
      const outcomes = await Promise.all(Array.from({ length: 3 }, () => runRestore({ env, into: databaseUrl(racedName) })));

      expect(outcomes.filter((outcome) => outcome.kind === 'Restored')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.kind === 'NotEmpty')).toHaveLength(2);
      expect(await tables(databaseUrl(racedName))).toEqual(await tables(system.env['BOOKING_DATABASE_URL']!));
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${racedName} WITH (FORCE)`);
    }
  });
});

describe('history:replay --projection booking-timeline', () => {
  const readModel = async () => {
    const client = new MongoClient(env.EVENT_STORE_URL);
    try {
      const db = client.db();
      const checkpoint = (await db.collection<{ _id: string; position: number }>(CHECKPOINTS_COLLECTION).findOne({ _id: BOOKING_TIMELINE }))?.position ?? 0;
      return { checkpoint, lines: await db.collection(TIMELINES_COLLECTION).find({}).sort({ _id: 1 }).toArray() };
    } finally {
      await client.close();
    }
  };
  const highWaterMark = async () => {
    const store = createEventStore({ url: env.EVENT_STORE_URL });
    try {
      return await store.highWaterMark();
    } finally {
      await store.close();
    }
  };

  it('given a live runner holding the lease, then a replay is refused and the read model is untouched', async () => {
    const before = await readModel();

    const outcomes = await runReplay({ env, projection: BOOKING_TIMELINE });

    expect(outcomes).toEqual([{ kind: 'LeaseHeld', projection: BOOKING_TIMELINE }]);
    expect((await readModel()).lines.length).toBeGreaterThanOrEqual(before.lines.length);
  });

  it('given the timeline built live, when history is stopped and the timeline replayed from position 0, then the rebuilt read model equals the live one and its checkpoint reaches the store high-water mark', async () => {
    await verifiedClean();
    const target = await highWaterMark();
    const live = await eventually(async () => {
      const model = await readModel();
      return model.checkpoint >= target && model;
    }, 30_000, 'the live timeline to catch up');
    expect(live.lines.length).toBeGreaterThanOrEqual(4 * 2);

    let outcomes: Awaited<ReturnType<typeof runReplay>> = [];
    await restartService(system, 'history', async () => {
      outcomes = await runReplay({ env, projection: BOOKING_TIMELINE });
    });

    expect(outcomes).toEqual([{ kind: 'Replayed', projection: BOOKING_TIMELINE, applied: expect.any(Number), checkpoint: expect.any(Number) }]);
    const replayed = await readModel();
    expect(replayed.lines).toEqual(live.lines);
    expect(replayed.checkpoint).toBeGreaterThanOrEqual(target);
  });
});
