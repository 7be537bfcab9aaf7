import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { createRedis } from '@ticketing/platform';
import {
  addSeats,
  admit,
  admitFreely,
  admittedFan,
  bookingReaches,
  chargeWallet,
  closeDatabases,
  createScratchPool,
  eventually,
  gql,
  holdSeats,
  openSchedule,
  payBooking,
  sql,
  testSystem,
  type AdmittedFan,
} from '@ticketing/test-support';
import { cancel, confirm, expire, hold, requestPayment, type Transitioned } from '../src/domain/booking';
import type { SagaFacts, StoredBooking } from '../src/application/ports';
import { bookingTransactionOn, createPgBookingWriter } from '../src/adapters/persistence/pg-booking.writer';
import { recordFanHold, recordStep } from '../src/application/record-transition';

/*
 * OWASP API6 (business-flow abuse): the 4-seat limit per booking let a fan buy 1 seat, queue
 * again and hold 4 more, again and again. The cap is per fan and schedule, across bookings.
 */

const CANCEL = 'mutation C($b: ID!) { cancelBooking(bookingId: $b) { id status } }';
const LIMIT = 4;

/** Seats the fan claims on the schedule, as the booking database has them. */
async function fanSeats(userId: string, scheduleId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(
    'booking',
    `SELECT count(*)::int AS n FROM seat_claims c JOIN bookings b ON b.id = c.booking_id
      WHERE b.user_id = $1 AND b.schedule_id = $2 AND c.status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED')`,
    [userId, scheduleId],
  );
  return row!.n;
}

/** Everything a hold writes for a fan: booking rows, claims, outbox rows. */
async function writesOf(userId: string) {
  const [row] = await sql<{ bookings: number; claims: number; events: number }>(
    'booking',
    `SELECT (SELECT count(*)::int FROM bookings WHERE user_id = $1) AS bookings,
            (SELECT count(*)::int FROM seat_claims c JOIN bookings b ON b.id = c.booking_id WHERE b.user_id = $1) AS claims,
            (SELECT count(*)::int FROM outbox o JOIN bookings b ON o.aggregate_id = b.id::text WHERE b.user_id = $1) AS events`,
    [userId],
  );
  return row!;
}

const claimsOn = async (seatIds: readonly string[]) =>
  (await sql<{ n: number }>('booking', `SELECT count(*)::int AS n FROM seat_claims WHERE seat_id = ANY($1::uuid[])`, [seatIds]))[0]!.n;

const limitError = (result: Awaited<ReturnType<typeof holdSeats>>) => result.response.errors?.[0];

/** Pays for a held booking and waits until the saga confirmed it and the queue retired the ticket that admitted it. */
async function buy(fan: AdmittedFan, bookingId: string): Promise<void> {
  expect((await payBooking(fan, bookingId)).code).toBeUndefined();
  await bookingReaches(fan, bookingId, ['CONFIRMED']);
  await eventually(async () => {
    const read = await gql<{ queueTicket: { status: string } | null }>('query T($t: String!) { queueTicket(token: $t) { status } }', { t: fan.queueToken }, { token: fan.token });
    return read.data?.queueTicket?.status === 'EXPIRED';
  }, 30_000, 'the queue ticket retired by the purchase');
}

/**
 * One more live queue ticket for a fan who has one. The waiting room hands out one per fan and
 * schedule (its `users` hash; key layout of subgraphs/queue/src/adapters/redis/redis-waiting-room.ts),
 * so this forgets that entry and enters again, as a waiting room that lost it would: the booking
 * subgraph must keep the cap without trusting the queue to ration tickets.
 */
async function anotherTicket(fan: AdmittedFan, scheduleId: string): Promise<AdmittedFan> {
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', testSystem().env['REDIS_KEY_PREFIX']);
  try {
    expect(await redis.hdel(`q:{${scheduleId}}:users`, fan.id)).toBe(1);
  } finally {
    redis.disconnect();
  }
  return admit(fan, scheduleId);
}

afterAll(() => closeDatabases());

describe('the per-fan seat cap of a schedule, through the gateway', () => {
  let scheduleId: string;
  let seats: string[];

  beforeAll(async () => {
    scheduleId = await openSchedule();
    // All of them before any hold: booking keeps a schedule's seat list for a while and refreshes
    // it on a miss at most once per 2 s, so a seat added between two holds may not be known yet.
    seats = await addSeats(scheduleId, 54, 10_000);
    await admitFreely(scheduleId);
  });

  it('given a fan who bought 1 seat and queued again, when they hold 4 more, then SEAT_LIMIT_REACHED says 3 remain and nothing is written; 3 more work; cancelled seats count no more', async () => {
    const fan = await admittedFan(scheduleId);
    await chargeWallet(fan, 100_000);
    const first = await holdSeats(fan, scheduleId, [seats[0]!]);
    expect(first.booking?.status).toBe('HELD');
    await buy(fan, first.booking!.id);
    const again = await admit(fan, scheduleId);
    expect(again.queueToken).not.toBe(fan.queueToken);

    const before = await writesOf(fan.id);
    const refused = await holdSeats(again, scheduleId, seats.slice(1, 5));
    expect(refused.code).toBe('SEAT_LIMIT_REACHED');
    expect(limitError(refused)?.extensions).toMatchObject({ limit: LIMIT, remaining: 3 });
    expect(limitError(refused)?.message).toMatch(/hold 3 more/);
    expect(await writesOf(fan.id)).toEqual(before);
    expect(await claimsOn(seats.slice(1, 5))).toBe(0);

    // Another fan is not held back by this fan's seats: the refused seats are free for them.
    const other = await admittedFan(scheduleId);
    expect((await holdSeats(other, scheduleId, seats.slice(1, 5))).booking?.status).toBe('HELD');

    const three = await holdSeats(again, scheduleId, seats.slice(5, 8));
    expect(three.booking?.status).toBe('HELD');
    expect(await fanSeats(fan.id, scheduleId)).toBe(LIMIT);

    // At the cap: even one more seat is refused (with a fresh ticket, so the ticket rule is not what refuses it).
    const third = await anotherTicket(again, scheduleId);
    const oneMore = await holdSeats(third, scheduleId, [seats[8]!]);
    expect(oneMore.code).toBe('SEAT_LIMIT_REACHED');
    expect(limitError(oneMore)?.extensions).toMatchObject({ limit: LIMIT, remaining: 0 });

    // A cancelled booking's seats no longer count: the fan may hold 3 again.
    expect((await gql<{ cancelBooking: { status: string } }>(CANCEL, { b: three.booking!.id }, { token: fan.token })).data?.cancelBooking.status).toBe('CANCELLED');
    expect((await holdSeats(third, scheduleId, seats.slice(8, 11))).booking?.status).toBe('HELD');
    expect(await fanSeats(fan.id, scheduleId)).toBe(LIMIT);
  });

  it('given a fan at the cap on one schedule, when they hold 4 seats of another schedule, then that schedule has its own allowance', async () => {
    const fan = await admittedFan(scheduleId);
    expect((await holdSeats(fan, scheduleId, seats.slice(20, 24))).booking?.status).toBe('HELD');
    const elsewhere = await openSchedule();
    const elsewhereSeats = await addSeats(elsewhere, 4);
    await admitFreely(elsewhere);
    expect((await holdSeats(await admit(fan, elsewhere), elsewhere, elsewhereSeats)).booking?.status).toBe('HELD');
    expect(await fanSeats(fan.id, scheduleId)).toBe(LIMIT);
    expect(await fanSeats(fan.id, elsewhere)).toBe(LIMIT);
  });

  it("takes the cap from the schedule: on one capped at 2, a first hold of 3 is SEAT_LIMIT_REACHED with 2 remaining, and 2 work", async () => {
    const capped = await openSchedule();
    await sql('concert', 'UPDATE schedules SET max_seats_per_fan = 2 WHERE id = $1', [capped]);
    const cappedSeats = await addSeats(capped, 3);
    await admitFreely(capped);
    const fan = await admittedFan(capped);
    const refused = await holdSeats(fan, capped, cappedSeats);
    expect(refused.code).toBe('SEAT_LIMIT_REACHED');
    expect(limitError(refused)?.extensions).toMatchObject({ limit: 2, remaining: 2 });
    expect(await writesOf(fan.id)).toEqual({ bookings: 0, claims: 0, events: 0 });
    expect((await holdSeats(fan, capped, cappedSeats.slice(0, 2))).booking?.status).toBe('HELD');
  });

  it('given one fan with 6 queue tickets and 20 tabs, when 20 holds of 1 or 2 distinct seats race, then exactly as many win as fit the cap and every other is refused', async () => {
    const fan = await admittedFan(scheduleId);
    const tickets = [fan];
    for (let i = 1; i < 6; i++) tickets.push(await anotherTicket(fan, scheduleId));
    expect(new Set(tickets.map((t) => t.queueToken)).size).toBe(6);
    const pool = seats.slice(24, 54);
    const wanted = Array.from({ length: 20 }, (_, i) => pool.splice(0, 1 + (i % 2)));
    const ticketOf = (tab: number) => tab % tickets.length;

    const results = await Promise.all(wanted.map((seatIds, tab) => holdSeats(tickets[ticketOf(tab)]!, scheduleId, seatIds)));

    const winners = results.flatMap((r, tab) => (r.booking?.status === 'HELD' ? [tab] : []));
    const claimed = winners.reduce((sum, tab) => sum + wanted[tab]!.length, 0);
    const ticketsWithWinner = new Set(winners.map(ticketOf));
    // No loser could have fitted: each asked for more than the room left, or its ticket already backs a winner.
    results.forEach((result, tab) => {
      if (winners.includes(tab)) return;
      if (result.code === 'SEAT_LIMIT_REACHED') {
        expect(claimed + wanted[tab]!.length).toBeGreaterThan(LIMIT);
        expect((limitError(result)?.extensions?.['remaining'] as number) < wanted[tab]!.length).toBe(true);
      } else {
        expect(result.code).toBe('CONFLICT');
        expect(ticketsWithWinner.has(ticketOf(tab))).toBe(true);
      }
    });
    expect(claimed).toBeLessThanOrEqual(LIMIT);
    expect(claimed).toBeGreaterThanOrEqual(LIMIT - 1);
    // The database agrees: at most the cap, exactly the winners' seats, one live booking per ticket.
    expect(await fanSeats(fan.id, scheduleId)).toBe(claimed);
    const perTicket = await sql<{ n: number }>(
      'booking',
      `SELECT count(*)::int AS n FROM bookings WHERE user_id = $1 AND schedule_id = $2 AND status IN ('HELD', 'PAYMENT_PENDING', 'CONFIRMED') GROUP BY queue_ticket_id`,
      [fan.id, scheduleId],
    );
    expect(perTicket).toHaveLength(winners.length);
    expect(perTicket.every((row) => row.n === 1)).toBe(true);
    expect(await claimsOn(wanted.flat())).toBe(claimed);
  });
});

describe('counting a fan’s seats in the writer (PostgreSQL)', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let pool: Pool;
  const causation = { correlationId: 'test', causationId: null };
  const writer = () => createPgBookingWriter(pool);

  beforeAll(async () => {
    db = await createScratchPool('booking', 5);
    pool = db.pool;
  });
  afterAll(() => db.drop());

  const newHold = (userId: string, scheduleId: string, seatCount: number, at = new Date()): Transitioned => {
    const decided = hold(
      { bookingId: randomUUID(), userId, scheduleId, queueTicketId: `ticket-${randomUUID()}`, seats: Array.from({ length: seatCount }, () => ({ seatId: randomUUID(), price: 100 })), holdTtlSeconds: 60 },
      at,
    );
    if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
    return decided;
  };

  async function held(userId: string, scheduleId: string, seatCount: number, at = new Date()): Promise<string> {
    const decided = newHold(userId, scheduleId, seatCount, at);
    expect(await recordFanHold(writer(), decided, causation, { maxSeatsPerFan: 100 })).toEqual({ kind: 'Held' });
    return decided.booking.id;
  }

  async function step(bookingId: string, move: (booking: StoredBooking) => Transitioned | { kind: string }, facts: SagaFacts = {}): Promise<void> {
    await writer().transaction(async (tx) => {
      const before = (await tx.lock(bookingId))!;
      const next = move(before);
      if (next.kind !== 'Transitioned') throw new Error(next.kind);
      await recordStep(tx, before, next as Transitioned, causation, facts);
    });
  }

  it('counts the seats of the fan’s HELD, PAYMENT_PENDING and CONFIRMED bookings on that schedule only, not CANCELLED or EXPIRED ones', async () => {
    const fan = randomUUID();
    const scheduleId = randomUUID();
    const now = new Date();
    await held(fan, scheduleId, 1);
    await step(await held(fan, scheduleId, 2), (b) => requestPayment(b, fan, now));
    const confirmed = await held(fan, scheduleId, 1);
    await step(confirmed, (b) => requestPayment(b, fan, now));
    await step(confirmed, (b) => confirm(b, randomUUID(), now));
    await step(await held(fan, scheduleId, 2), (b) => cancel(b, { kind: 'CancelledByOwner', userId: fan }, now));
    await step(await held(fan, scheduleId, 3, new Date(now.getTime() - 120_000)), (b) => expire(b, now));
    await held(randomUUID(), scheduleId, 2);
    await held(fan, randomUUID(), 3);

    const over = newHold(fan, scheduleId, 1);
    expect(await recordFanHold(writer(), over, causation, { maxSeatsPerFan: 4 })).toEqual({ kind: 'OverCap', seatsClaimed: 4 });
    const { rows } = await pool.query('SELECT 1 FROM bookings WHERE id = $1 UNION ALL SELECT 1 FROM outbox WHERE aggregate_id = $1::text', [over.booking.id]);
    expect(rows).toEqual([]);
    expect(await recordFanHold(writer(), newHold(fan, scheduleId, 1), causation, { maxSeatsPerFan: 5 })).toEqual({ kind: 'Held' });
  });

  it('makes a second hold of the same fan and schedule wait until the first transaction ends, then count its seats; other fans do not wait', async () => {
    const fan = randomUUID();
    const scheduleId = randomUUID();
    // The first: a transaction that takes the fan's lock as a hold's does, then writes 2 seats and waits.
    const client = await pool.connect();
    await client.query('BEGIN');
    try {
      await client.query(`SELECT lock_fan_seats($1, $2, ARRAY['HELD','PAYMENT_PENDING','CONFIRMED'])`, [fan, scheduleId]);
      await bookingTransactionOn(client).insertBooking(newHold(fan, scheduleId, 2));

      const second = recordFanHold(writer(), newHold(fan, scheduleId, 3), causation, { maxSeatsPerFan: 4 });
      const otherFan = recordFanHold(writer(), newHold(randomUUID(), scheduleId, 3), causation, { maxSeatsPerFan: 4 });
      expect(await otherFan).toEqual({ kind: 'Held' });
      await eventually(async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        return rows[0]!.n === 1;
      }, 10_000, 'the second hold waiting on the fan lock');
      await client.query('COMMIT');
      // Counted after the wait: the first's 2 seats leave no room for 3 more.
      expect(await second).toEqual({ kind: 'OverCap', seatsClaimed: 2 });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  });
});
