import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { createScratchDatabase } from '@ticketing/test-support';
import { cancel, confirm, hold, requestPayment, type Transitioned } from '../src/domain/booking';
import { bookingTransactionOn, createPgBookingWriter, lockBatch, writeQueuedSteps } from '../src/adapters/persistence/pg-booking.writer';
import { recordFanHold, recordStep } from '../src/application/record-transition';
import { payBooking } from '../src/application/pay-booking.command';
import { settleBooking } from '../src/application/settle-booking.reaction';
import { paymentOutcomesConsumer } from '../src/adapters/messaging/payment-outcomes.consumer';
import { createEvent } from '@ticketing/contracts';
import { consumerOptionsOf, processMessages, type MessageBus } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';

/**
 * What one transition costs the database, counted (issue 10): a fan's hold is one statement, its
 * own transaction, for the cap's lock and count, the row, its claims, its history line and the
 * outbox; a step is the lock and one statement for the row, claims, history and outbox, and
 * payBooking's step is that statement alone, guarded by the version it read. And
 * the seat sequence is still drawn after the claims, even when the claim insert had to wait for
 * another transaction.
 */
let db: { url: string; drop: () => Promise<void> };
let pool: Pool;
const statements: string[] = [];

beforeAll(async () => {
  db = await createScratchDatabase('booking');
  pool = new Pool({ connectionString: db.url, max: 4 });
  // Every statement any checked-out client sends, as the first words of its text.
  pool.on('acquire', (client: PoolClient & { counted?: boolean }) => {
    if (client.counted) return;
    client.counted = true;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
      statements.push(text.trim().split(/\s+/).slice(0, 2).join(' '));
      return query(...args);
    };
  });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const causation = { correlationId: 'round-trips', causationId: null };
const writer = () => createPgBookingWriter(pool);
const CAP = { maxSeatsPerFan: 4 };

function newHold(seatIds: string[], userId = randomUUID()): Transitioned {
  const decided = hold(
    { bookingId: randomUUID(), userId, scheduleId: randomUUID(), queueTicketId: `ticket-${randomUUID()}`, seats: seatIds.map((seatId) => ({ seatId, price: 1_000 })), holdTtlSeconds: 600 },
    new Date(),
  );
  if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
  return decided;
}

const outboxOf = async (bookingId: string) =>
  (
    await pool.query<{ event_type: string; seat_sequence: string | null }>(
      `SELECT event_type, payload->'payload'->>'seatSequence' AS seat_sequence FROM outbox WHERE aggregate_id = $1 ORDER BY position`,
      [bookingId],
    )
  ).rows;

describe('the booking writer, counted in statements', () => {
  beforeEach(() => {
    statements.length = 0;
  });

  it('given a hold of three seats, then it is one statement, with every row in place and the seat sequence in its event', async () => {
    const seats = [randomUUID(), randomUUID(), randomUUID()];
    const held = newHold(seats);

    expect(await recordFanHold(writer(), held, causation, CAP)).toEqual({ kind: 'Held' });

    expect(statements).toEqual(['WITH fan']);
    const id = held.booking.id;
    const claims = await pool.query<{ seat_id: string; status: string }>('SELECT seat_id::text, status::text FROM seat_claims WHERE booking_id = $1 ORDER BY seat_id', [id]);
    expect(claims.rows).toEqual([...seats].sort().map((seat_id) => ({ seat_id, status: 'HELD' })));
    const history = await pool.query('SELECT version, status::text, reason FROM booking_transitions WHERE booking_id = $1', [id]);
    expect(history.rows).toEqual([{ version: held.booking.version, status: 'HELD', reason: held.transition.reason }]);
    const [event] = await outboxOf(id);
    const { rows } = await pool.query<{ last_value: string }>('SELECT last_value FROM seat_sequence');
    expect(event).toEqual({ event_type: 'SeatsHeld', seat_sequence: rows[0]!.last_value });
  });

  it('given a fan with seats held, then a hold past the cap is the same one statement, counts them, writes nothing and draws no seat sequence', async () => {
    const userId = randomUUID();
    const held = newHold([randomUUID(), randomUUID(), randomUUID()], userId);
    await recordFanHold(writer(), held, causation, CAP);
    const before = await pool.query<{ last_value: string }>('SELECT last_value FROM seat_sequence');
    statements.length = 0;

    const over = { ...newHold([randomUUID(), randomUUID()], userId) };
    over.booking = { ...over.booking, scheduleId: held.booking.scheduleId };
    expect(await recordFanHold(writer(), over, causation, CAP)).toEqual({ kind: 'OverCap', seatsClaimed: 3 });

    expect(statements).toEqual(['WITH fan']);
    expect((await pool.query('SELECT 1 FROM bookings WHERE id = $1', [over.booking.id])).rows).toEqual([]);
    expect(await outboxOf(over.booking.id)).toEqual([]);
    expect((await pool.query<{ last_value: string }>('SELECT last_value FROM seat_sequence')).rows).toEqual(before.rows);
  });

  it('given a HELD booking, when payment is requested and then the payment fails, then each step is BEGIN, the lock, one write with its outbox rows, and COMMIT', async () => {
    const held = newHold([randomUUID()]);
    const id = held.booking.id;
    await recordFanHold(writer(), held, causation, CAP);
    statements.length = 0;

    await writer().transaction(async (tx) => {
      const before = (await tx.lock(id))!;
      const next = requestPayment(before, held.booking.userId, new Date());
      if (next.kind !== 'Transitioned') throw new Error(next.kind);
      await recordStep(tx, before, next, causation, { paymentRequestedAt: next.transition.at });
    });
    await writer().transaction(async (tx) => {
      const before = (await tx.lock(id))!;
      const next = cancel(before, { kind: 'PaymentFailed', reason: 'INSUFFICIENT_BALANCE' }, new Date());
      if (next.kind !== 'Transitioned') throw new Error(next.kind);
      await recordStep(tx, before, next, causation);
    });

    const step = ['BEGIN', 'SELECT b.id,', 'WITH updated', 'COMMIT'];
    expect(statements).toEqual([...step, ...step]);
    const claims = await pool.query('SELECT status::text FROM seat_claims WHERE booking_id = $1', [id]);
    expect(claims.rows).toEqual([{ status: 'CANCELLED' }]);
    const history = await pool.query('SELECT version, status::text FROM booking_transitions WHERE booking_id = $1 ORDER BY version', [id]);
    expect(history.rows.map((row) => row.status)).toEqual(['HELD', 'PAYMENT_PENDING', 'CANCELLED']);
    // PaymentRequested moves no seat: no number; the cancellation does.
    const events = await outboxOf(id);
    expect(events.map((e) => [e.event_type, e.seat_sequence === null])).toEqual([
      ['SeatsHeld', false],
      ['PaymentRequested', true],
      ['BookingCancelled', false],
    ]);
    expect(Number(events[2]!.seat_sequence)).toBeGreaterThan(Number(events[0]!.seat_sequence));
  });

  it('given a HELD booking of three seats paid and confirmed, then its claims change status in place: every claim update is HOT, no new index entry', async () => {
    // One connection for the whole story, so its own statistics tell what its updates did.
    const one = new Pool({ connectionString: db.url, max: 1 });
    try {
      const oneWriter = createPgBookingWriter(one);
      const claimUpdates = async () => {
        // Pending counts reach the shared statistics when the backend next goes idle; force it.
        await one.query('SELECT pg_stat_force_next_flush()');
        const { rows } = await one.query<{ updated: string; hot: string }>(
          `SELECT n_tup_upd AS updated, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'seat_claims'`,
        );
        return { updated: Number(rows[0]!.updated), hot: Number(rows[0]!.hot) };
      };
      const held = newHold([randomUUID(), randomUUID(), randomUUID()]);
      const id = held.booking.id;
      await recordFanHold(oneWriter, held, causation, CAP);
      const before = await claimUpdates();

      await oneWriter.transaction(async (tx) => {
        const current = (await tx.lock(id))!;
        const next = requestPayment(current, held.booking.userId, new Date());
        if (next.kind !== 'Transitioned') throw new Error(next.kind);
        await recordStep(tx, current, next, causation, { paymentRequestedAt: next.transition.at });
      });
      await oneWriter.transaction(async (tx) => {
        const current = (await tx.lock(id))!;
        const next = confirm(current, randomUUID(), new Date());
        if (next.kind !== 'Transitioned') throw new Error(next.kind);
        await recordStep(tx, current, next, causation);
      });

      const after = await claimUpdates();
      expect({ updated: after.updated - before.updated, hot: after.hot - before.hot }).toEqual({ updated: 6, hot: 6 });
      const claims = await one.query('SELECT status::text, live FROM seat_claims WHERE booking_id = $1', [id]);
      expect(claims.rows).toEqual(Array(3).fill({ status: 'CONFIRMED', live: true }));
    } finally {
      await one.end();
    }
  });

  /** Bookings held and then put into PAYMENT_PENDING, one step each. */
  async function pendingPayments(count: number, seatsEach = 1): Promise<Transitioned[]> {
    const pending = Array.from({ length: count }, () => newHold(Array.from({ length: seatsEach }, () => randomUUID())));
    for (const held of pending) {
      await recordFanHold(writer(), held, causation, CAP);
      await writer().transaction(async (tx) => {
        const before = (await tx.lock(held.booking.id))!;
        const next = requestPayment(before, held.booking.userId, new Date());
        if (next.kind !== 'Transitioned') throw new Error(next.kind);
        await recordStep(tx, before, next, causation, { paymentRequestedAt: next.transition.at });
      });
    }
    return pending;
  }

  /** payment.events messages: a completion, or a failure when `failed`, of each booking's payment. */
  function paymentOutcomes(of: ReadonlyArray<{ booking: Transitioned['booking']; failed?: boolean }>) {
    return of.map(({ booking, failed }, i) => {
      const meta = { eventId: randomUUID(), streamId: randomUUID(), streamVersion: 0, now: new Date(), correlationId: 'round-trips' };
      const payload = { paymentId: meta.streamId, bookingId: booking.id, userId: booking.userId, amount: booking.amount };
      const event = failed ? createEvent('PaymentFailed', { ...payload, reason: 'INSUFFICIENT_BALANCE' }, meta) : createEvent('PaymentCompleted', payload, meta);
      return { topic: 'payment.events', partition: 0, offset: String(i), key: event.stream.id, value: JSON.stringify(event), headers: {} };
    });
  }

  /** The messages handled together, as the consumer does with a fetched batch; what became of each, and what each step committed. */
  async function settleTogether(messages: ReturnType<typeof paymentOutcomes>) {
    const committed: string[] = [];
    const spec = paymentOutcomesConsumer({
      settleBooking: settleBooking(),
      logger: createLogger('round-trips', 'silent'),
      stepsCommitted: (steps) => void committed.push(...steps.map((step) => `${step.bookingId} ${step.from}→${step.to}`)),
    });
    statements.length = 0;
    const handled = await processMessages(messages, {
      ...consumerOptionsOf(spec),
      bus: {} as MessageBus, // only a dead letter would use it
      pool,
      groupId: 'round-trips',
      topics: ['payment.events'],
      logger: createLogger('round-trips', 'silent'),
    });
    return { handled, committed };
  }

  const statusesOf = async (bookings: ReadonlyArray<{ booking: { id: string } }>) =>
    (await pool.query<{ status: string }>('SELECT status::text FROM bookings WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)', [bookings.map(({ booking }) => booking.id)])).rows.map(
      (row) => row.status,
    );

  it('given payment outcomes of three bookings fetched together, then the consumer locks the three in one statement and writes their steps in one more: BEGIN with the inbox insert, the lock, the write, COMMIT', async () => {
    const pending = await pendingPayments(3, 2);
    // The last one's payment failed; the others completed.
    const messages = paymentOutcomes(pending.map(({ booking }, i) => ({ booking, failed: i === 2 })));

    const { handled, committed } = await settleTogether(messages);

    expect(handled).toEqual(['handled', 'handled', 'handled']);
    expect(statements).toEqual(['BEGIN; INSERT', 'SELECT b.id,', 'WITH updated', 'COMMIT']);
    expect(await statusesOf(pending)).toEqual(['CONFIRMED', 'CONFIRMED', 'CANCELLED']);
    const [a, b, c] = pending.map(({ booking }) => booking.id);
    expect(committed).toEqual([`${a} PAYMENT_PENDING→CONFIRMED`, `${b} PAYMENT_PENDING→CONFIRMED`, `${c} PAYMENT_PENDING→CANCELLED`]);
    // Each step wrote its own claims, history line and events, with a seat sequence of its own.
    const sequences: number[] = [];
    for (const [i, { booking }] of pending.entries()) {
      const status = i === 2 ? 'CANCELLED' : 'CONFIRMED';
      const claims = await pool.query('SELECT status::text FROM seat_claims WHERE booking_id = $1', [booking.id]);
      expect(claims.rows).toEqual([{ status }, { status }]);
      const history = await pool.query('SELECT version, status::text FROM booking_transitions WHERE booking_id = $1 ORDER BY version', [booking.id]);
      expect(history.rows).toEqual([
        { version: 0, status: 'HELD' },
        { version: 1, status: 'PAYMENT_PENDING' },
        { version: 2, status },
      ]);
      const events = await outboxOf(booking.id);
      expect(events.map((e) => e.event_type)).toEqual(['SeatsHeld', 'PaymentRequested', i === 2 ? 'BookingCancelled' : 'BookingConfirmed']);
      expect(Number(events[2]!.seat_sequence)).toBeGreaterThan(Number(events[0]!.seat_sequence));
      sequences.push(Number(events[2]!.seat_sequence));
    }
    expect(new Set(sequences).size).toBe(3);
  });

  it('given a batch that settles one booking twice, then the second settlement reads what the first wrote: the queued steps are written before its lock', async () => {
    const [first, second] = await pendingPayments(2);
    // A completes, B completes, then a failure of A arrives: by then A is paid, so it is ignored.
    const messages = paymentOutcomes([{ booking: first!.booking }, { booking: second!.booking }, { booking: first!.booking, failed: true }]);

    const { handled, committed } = await settleTogether(messages);

    expect(handled).toEqual(['handled', 'handled', 'handled']);
    expect(statements).toEqual(['BEGIN; INSERT', 'SELECT b.id,', 'WITH updated', 'SELECT b.id,', 'COMMIT']);
    expect(await statusesOf([first!, second!])).toEqual(['CONFIRMED', 'CONFIRMED']);
    expect(committed).toEqual([`${first!.booking.id} PAYMENT_PENDING→CONFIRMED`, `${second!.booking.id} PAYMENT_PENDING→CONFIRMED`]);
    expect((await outboxOf(first!.booking.id)).map((e) => e.event_type)).toEqual(['SeatsHeld', 'PaymentRequested', 'BookingConfirmed']);
  });

  it('given a queued step whose booking is not at the version it was decided on, then writing the batch fails and the transaction leaves nothing', async () => {
    const [pending] = await pendingPayments(1);
    const id = pending!.booking.id;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const batch = await lockBatch(client, [id]);
      const tx = bookingTransactionOn(client, [], batch);
      const before = (await tx.lock(id))!;
      const next = confirm(before, randomUUID(), new Date());
      if (next.kind !== 'Transitioned') throw new Error(next.kind);
      // Decided on a version the row has left: a caller that skipped the lock.
      await recordStep(tx, { ...before, version: before.version - 1 }, next, causation);
      expect(batch.queued).toHaveLength(1);

      await expect(writeQueuedSteps(client, batch)).rejects.toThrow(`booking ${id} changed under a transition`);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(await statusesOf([pending!])).toEqual(['PAYMENT_PENDING']);
    expect((await outboxOf(id)).map((e) => e.event_type)).toEqual(['SeatsHeld', 'PaymentRequested']);
  });

  it('given payBooking, then it is the read with the key check and one write with its outbox rows, no transaction around them; the same key on another booking is refused', async () => {
    const userId = randomUUID();
    const [first, second] = [newHold([randomUUID()], userId), newHold([randomUUID()], userId)];
    for (const held of [first, second]) await recordFanHold(writer(), held, causation, CAP);
    const pay = payBooking({ writer: writer() });
    const viewer = { userId, role: 'USER' as const };
    statements.length = 0;

    expect(await pay(viewer, { bookingId: first.booking.id, idempotencyKey: 'key-1' }, causation)).toMatchObject({ kind: 'PaymentRequested', booking: { id: first.booking.id, status: 'PAYMENT_PENDING' } });
    expect(statements).toEqual(['SELECT b.id,', 'WITH updated']);

    expect(await pay(viewer, { bookingId: first.booking.id, idempotencyKey: 'key-1' }, causation)).toMatchObject({ kind: 'Replayed', booking: { id: first.booking.id, status: 'PAYMENT_PENDING' } });
    expect(await pay(viewer, { bookingId: second.booking.id, idempotencyKey: 'key-1' }, causation)).toEqual({ kind: 'KeyReused' });
    expect(await pay({ userId: randomUUID(), role: 'USER' }, { bookingId: second.booking.id, idempotencyKey: 'key-2' }, causation)).toEqual({ kind: 'NotFound' });
    expect(await pay(viewer, { bookingId: randomUUID(), idempotencyKey: 'key-3' }, causation)).toEqual({ kind: 'NotFound' });
  });

  it('given payBooking whose read is overtaken by another write of the booking, then its write writes nothing, and it reads again and answers from what it finds', async () => {
    const held = newHold([randomUUID()]);
    const id = held.booking.id;
    await recordFanHold(writer(), held, causation, CAP);
    const real = writer();
    // Between payBooking's first read and its write, the booking is cancelled (as the sweeper's
    // expiry or the owner's cancel would).
    let reads = 0;
    const overtaking: typeof real = {
      ...real,
      readForPayment: async (...args) => {
        const read = await real.readForPayment(...args);
        if ((reads += 1) === 1) {
          await real.transaction(async (tx) => {
            const before = (await tx.lock(id))!;
            const next = cancel(before, { kind: 'CancelledByOwner', userId: before.userId }, new Date());
            if (next.kind !== 'Transitioned') throw new Error(next.kind);
            await recordStep(tx, before, next, causation);
          });
        }
        return read;
      },
    };
    statements.length = 0;

    const answer = await payBooking({ writer: overtaking })({ userId: held.booking.userId, role: 'USER' }, { bookingId: id, idempotencyKey: 'late' }, causation);

    expect(answer).toEqual({ kind: 'InvalidState', status: 'CANCELLED' });
    expect(reads).toBe(2);
    const history = await pool.query('SELECT status::text FROM booking_transitions WHERE booking_id = $1 ORDER BY version', [id]);
    expect(history.rows.map((row) => row.status)).toEqual(['HELD', 'CANCELLED']);
    expect((await outboxOf(id)).map((event) => event.event_type)).toEqual(['SeatsHeld', 'BookingCancelled']);
    const row = await pool.query('SELECT status::text, payment_idempotency_key FROM bookings WHERE id = $1', [id]);
    expect(row.rows).toEqual([{ status: 'CANCELLED', payment_idempotency_key: null }]);
  });

  it('given a hold that waits on a seat another transaction is freeing, then its seat sequence is drawn after that one commits, so it is larger', async () => {
    const seat = randomUUID();
    const first = newHold([seat]);
    await recordFanHold(writer(), first, causation, CAP);

    // Another transaction frees the seat and draws its number in a later statement (as a block
    // release does); the hold's claim waits for it in between. A hold that drew its number
    // before that wait would carry a smaller number than the change it comes after.
    const other = await pool.connect();
    await other.query('BEGIN');
    await other.query(`UPDATE seat_claims SET status = 'CANCELLED' WHERE booking_id = $1`, [first.booking.id]);
    const second = newHold([seat]);
    const secondHeld = recordFanHold(writer(), second, causation, CAP);
    await waitFor(async () => (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%WITH fan%'`)).rowCount === 1);
    const { rows } = await other.query<{ n: string }>(`SELECT nextval('seat_sequence') AS n`);
    await other.query('COMMIT');
    other.release();
    await secondHeld;

    const [held] = await outboxOf(second.booking.id);
    expect(Number(held!.seat_sequence)).toBeGreaterThan(Number(rows[0]!.n));
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met in 5 s');
}
