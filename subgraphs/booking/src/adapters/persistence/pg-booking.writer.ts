import { inTransaction } from '@ticketing/platform';
import type { Pool, PoolClient } from 'pg';
import { appendToOutbox, outboxInsertSql, outboxParameters } from '@ticketing/messaging';
import type { EventEnvelope } from '@ticketing/contracts';
import { CLAIMING_STATUSES, needsSeatSequence, type Booking, type BookingStatus, type Decided, type Transitioned } from '../../domain/booking';
import { bookingFromRow, detailsFromRow, DETAILS_COLUMNS, type BookingRowCore, type DetailsColumns } from './booking-row';
import type { CommittedStep } from '../../application/release-ended-holds';
import { PaymentKeyReused, SeatsTaken, TicketAlreadyHolding, TicketRetired, type BookingTransaction, type BookingWriter, type SagaFacts, type StoredBooking } from '../../application/ports';

interface BookingRow extends BookingRowCore {
  queue_ticket_id: string | null;
  payment_id: string | null;
  payment_idempotency_key: string | null;
}

/** The booking row as a transition reads it, with `extra` columns beside it. */
const SELECT_BOOKING_WITH = (extra = '') => `
  SELECT b.id, b.user_id, b.schedule_id, b.status, b.amount, b.held_until, b.version,
         b.queue_ticket_id, b.payment_id, b.payment_idempotency_key,
         ARRAY(SELECT c.seat_id::text FROM seat_claims c WHERE c.booking_id = b.id ORDER BY c.seat_id) AS seat_ids${extra ? `,
         ${extra}` : ''}
    FROM bookings b`;
const SELECT_BOOKING = SELECT_BOOKING_WITH();

function toStored(row: BookingRow): StoredBooking {
  return {
    ...bookingFromRow(row),
    queueTicketId: row.queue_ticket_id,
    paymentId: row.payment_id,
    paymentIdempotencyKey: row.payment_idempotency_key,
  };
}

/** A claim in any of these statuses is in the fence: a fan's hold, payment or sale, or an admin's block. */
const LIVE_CLAIM_STATUSES: readonly string[] = [...CLAIMING_STATUSES, 'BLOCKED'];

const UNIQUE_VIOLATION = '23505';
const ONE_ACTIVE_CLAIM_INDEX = 'seat_claims_one_active_claim_per_seat';
const ONE_BOOKING_PER_TICKET_INDEX = 'bookings_one_live_booking_per_ticket';
const PAYMENT_KEY_INDEX = 'bookings_user_payment_key';

const violates = (error: unknown, constraint: string) => {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === UNIQUE_VIOLATION && e.constraint === constraint;
};

/** `Key (seat_id)=(…) already exists.` → the seat id, for the error the fan sees. */
function seatFromDetail(detail: unknown): string | null {
  return typeof detail === 'string' ? (/\(seat_id\)=\(([^)]+)\)/.exec(detail)?.[1] ?? null) : null;
}


/** A step as it was written, for metrics and the seat locks once its transaction has committed. */
export interface WrittenStep extends CommittedStep {
  from: BookingStatus | null;
  to: BookingStatus;
  at: Date;
  /** The step asks payment for the money back (the status stays). */
  refundRequested: boolean;
  /** Who gave a CONFIRMED booking back, for a BookingRefunded step. */
  refundedBy?: 'ADMIN' | 'OWNER';
  /** When payBooking moved the booking to PAYMENT_PENDING, as stored on the row; null before. */
  paymentRequestedAt: Date | null;
}

/**
 * A new booking, as CTEs of one statement: the row (only where `guard` holds, and never for a
 * queue ticket whose booking was sold: a retired ticket, which an admission pass cannot know of;
 * a probe of the per-ticket index, whose predicate covers sold bookings, migration 0008), its
 * claims (the fence: one live claim per seat, whatever the Redis locks said), its history line,
 * and `seq`: a seat sequence number drawn above an aggregate over the inserted claims, so only
 * once every claim is in (after any wait on a conflicting claim, as nextSeatSequence requires),
 * and none when no row went in. Parameters $1–$13: newBookingParameters.
 */
const NEW_BOOKING_CTES = (guard: string, from = '') => `
  booking AS (
    INSERT INTO bookings (id, user_id, schedule_id, status, amount, held_until, version, queue_ticket_id, guest_name, created_at, updated_at)
    SELECT $1::uuid, $2::uuid, $3::uuid, $4::"BookingStatus", $5::int, $6::timestamptz, $7::int, $8::text, $9::text, $10::timestamptz, $10::timestamptz
      ${from}
     WHERE ${guard ? `${guard} AND ` : ''}($8::text IS NULL
        OR NOT EXISTS (SELECT 1 FROM bookings sold WHERE sold.queue_ticket_id = $8::text AND sold.status IN ('CONFIRMED', 'REFUNDED')))
    RETURNING id),
  claims AS (
    INSERT INTO seat_claims (booking_id, seat_id, schedule_id, status, created_at)
    SELECT booking.id, seat_id, $3, $4, $10 FROM booking, unnest($11::uuid[]) AS seat_id
    RETURNING seat_id),
  history AS (
    INSERT INTO booking_transitions (booking_id, version, status, at, reason)
    SELECT booking.id, $7, $12, $10, $13 FROM booking),
  seq AS (
    SELECT nextval('seat_sequence') AS seat_sequence FROM (SELECT count(*) FROM claims) AS claimed WHERE EXISTS (SELECT 1 FROM booking))`;

function newBookingParameters({ booking, transition }: Pick<Transitioned, 'booking' | 'transition'>, guestName: string | null): unknown[] {
  return [
    booking.id,
    booking.userId,
    booking.scheduleId,
    booking.status,
    booking.amount,
    booking.heldUntil,
    booking.version,
    booking.queueTicketId,
    guestName,
    transition.at,
    booking.seatIds,
    transition.status,
    transition.reason,
  ];
}

/** A claim or ticket index that refused a new booking, as the refusal the caller knows; anything else as it was. */
function refusalOf(error: unknown): unknown {
  if (violates(error, ONE_BOOKING_PER_TICKET_INDEX)) return new TicketAlreadyHolding();
  if (violates(error, ONE_ACTIVE_CLAIM_INDEX)) return new SeatsTaken(seatFromDetail((error as { detail?: string }).detail));
  return error;
}

/**
 * A fan's hold as one statement, its own transaction (issue 10): what was BEGIN, the cap's lock
 * and count, the insert, the outbox and COMMIT, five round trips. `fan` takes the advisory lock on
 * (fan, schedule) and counts the fan's claimed seats after it (lock_fan_seats, migration 0007);
 * the booking's CTEs depend on it, so they run under the lock, which the statement's transaction
 * holds to its commit: two holds of one fan are still counted one after the other. The row goes
 * in only if the requested seats fit under the cap (the rule of checkFanSeatLimit, which names the
 * refusal from the count returned). The outbox rows are the one outbox writer's
 * (outboxInsertSql), with the drawn seat sequence set into each event's payload.
 */
const INSERT_HOLD = `
  WITH fan AS (SELECT lock_fan_seats($2::uuid::text, $3::uuid::text, $14::text[]) AS claimed),
  ${NEW_BOOKING_CTES('fan.claimed + cardinality($11::uuid[]) <= $15::int', 'FROM fan')},
  outbox AS (
    ${outboxInsertSql(16, { from: 'seq', payload: (envelope) => `jsonb_set(${envelope}, '{payload,seatSequence}', to_jsonb(seq.seat_sequence))` })})
  SELECT (SELECT claimed FROM fan) AS claimed, (SELECT count(*) FROM booking)::int AS inserted`;

/**
 * Steps of locked bookings as one statement (issue 10; a step was two, the write and the outbox,
 * and a consumer's batch was a statement per step), each step a row of the unnest: the booking
 * row, guarded by its version; its claims when the status moves; its history line (one per
 * version, a refund request included: the history and the event stream count alike); `seq`, a
 * seat sequence number for each step whose events move seats, drawn after the claims are written
 * (the aggregate over them), and none for a step the guard wrote no row for; and the outbox rows
 * (the one outbox writer's outboxInsertSql), each step's own, each event that carries a
 * seatSequence given its step's drawn one. A booking appears in one step at most (an UPDATE
 * writes a row once, whatever it joins).
 */
const APPLY_STEPS = `
  WITH updated AS (
    UPDATE bookings b
       SET status = s.status, held_until = s.held_until, version = s.version, updated_at = s.at,
           payment_id = COALESCE(s.payment_id, b.payment_id),
           payment_idempotency_key = COALESCE(s.payment_key, b.payment_idempotency_key),
           payment_requested_at = COALESCE(s.payment_requested_at, b.payment_requested_at)
      FROM unnest($1::uuid[], $2::int[], $3::"BookingStatus"[], $4::timestamptz[], $5::int[], $6::timestamptz[], $7::uuid[], $8::text[],
                  $9::timestamptz[], $10::boolean[], $11::"BookingStatus"[], $12::text[], $13::boolean[])
           WITH ORDINALITY AS s(id, before_version, status, held_until, version, at, payment_id, payment_key,
                                payment_requested_at, moves_seats, transition_status, reason, draws_sequence, n)
     WHERE b.id = s.id AND b.version = s.before_version
     RETURNING s.n, b.id, b.version, s.status, s.at, s.moves_seats, s.transition_status, s.reason, s.draws_sequence, b.payment_requested_at),
  claims AS (
    UPDATE seat_claims SET status = updated.status FROM updated
     WHERE seat_claims.booking_id = updated.id AND updated.moves_seats
     RETURNING seat_claims.seat_id),
  history AS (
    INSERT INTO booking_transitions (booking_id, version, status, at, reason)
    SELECT id, version, transition_status, at, reason FROM updated),
  seq AS (
    SELECT updated.n, CASE WHEN updated.draws_sequence THEN nextval('seat_sequence') END AS seat_sequence
      FROM updated, (SELECT count(*) FROM claims) AS claimed),
  outbox AS (
    ${outboxInsertSql(14, {
      from: 'seq',
      ownerIs: 'seq.n',
      payload: (envelope) => `CASE WHEN ${envelope} #> '{payload,seatSequence}' IS NULL THEN ${envelope} ELSE jsonb_set(${envelope}, '{payload,seatSequence}', to_jsonb(seq.seat_sequence)) END`,
    })})
  SELECT n::int, payment_requested_at FROM updated`;

const whose = (booking: Booking) => ({ bookingId: booking.id, scheduleId: booking.scheduleId, seatIds: booking.seatIds });

/** A step of a locked booking, as decided, waiting to be written (writeSteps). */
interface Step {
  before: StoredBooking;
  next: Decided;
  facts: SagaFacts;
  envelopes: readonly EventEnvelope[];
}

/**
 * One statement (APPLY_STEPS) for these steps: each booking row if still at its `before`'s
 * version, its claims, its history line, the seat sequence when its events need one, and its
 * events into the outbox with that number set. Each step's answer in order: what was written, or
 * null where the version guard wrote nothing.
 */
async function writeSteps(db: Pick<PoolClient, 'query'>, steps: readonly Step[]): Promise<Array<WrittenStep | null>> {
  if (new Set(steps.map(({ before }) => before.id)).size !== steps.length) throw new Error('one statement cannot step a booking twice');
  const column = <T>(of: (step: Step) => T) => steps.map(of);
  const { rows } = await db
    .query<{ n: number; payment_requested_at: Date | null }>(APPLY_STEPS, [
      column(({ next }) => next.booking.id),
      column(({ before }) => before.version),
      column(({ next }) => next.booking.status),
      column(({ next }) => next.booking.heldUntil),
      column(({ next }) => next.booking.version),
      column(({ next }) => next.transition.at),
      column(({ next }) => next.booking.paymentId),
      column(({ facts }) => facts.paymentIdempotencyKey ?? null),
      column(({ facts }) => facts.paymentRequestedAt ?? null),
      column(({ before, next }) => next.booking.status !== before.status),
      column(({ next }) => next.transition.status),
      column(({ next }) => next.transition.reason),
      column(({ next }) => needsSeatSequence(next.events)),
      ...outboxParameters(
        steps.flatMap(({ envelopes }) => envelopes),
        steps.flatMap(({ envelopes }, i) => envelopes.map(() => i + 1)),
      ),
    ])
    .catch((error: unknown) => {
      if (violates(error, PAYMENT_KEY_INDEX)) throw new PaymentKeyReused();
      throw error;
    });
  const requestedAt = new Map(rows.map((row) => [row.n, row.payment_requested_at]));
  return steps.map(({ before, next: { booking, transition, events } }, i) =>
    requestedAt.has(i + 1)
      ? {
          ...whose(booking),
          from: before.status,
          to: booking.status,
          at: transition.at,
          refundRequested: events.some((event) => event.type === 'RefundRequested'),
          refundedBy: events.find((event) => event.type === 'BookingRefunded')?.payload.refundedBy,
          paymentRequestedAt: requestedAt.get(i + 1) ?? null,
        }
      : null,
  );
}

/** The seats among `seatIds` with a live claim, on a transaction's client or the pool. */
async function claimedSeatsOn(db: Pick<PoolClient, 'query'>, seatIds: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ seat_id: string }>(
    `SELECT seat_id::text FROM seat_claims WHERE seat_id = ANY($1::uuid[]) AND status::text = ANY($2::text[])`,
    [seatIds, LIVE_CLAIM_STATUSES],
  );
  return rows.map((row) => row.seat_id);
}

/**
 * Locks these bookings in one statement, in id order (so two transactions that lock several
 * never wait on each other in a circle), for a transaction that will step each of them: what
 * each `lock` would have read, in one round trip instead of one per booking (issue 10).
 */
async function lockBookings(client: Pick<PoolClient, 'query'>, bookingIds: readonly string[]): Promise<Map<string, StoredBooking>> {
  const locked = new Map<string, StoredBooking>();
  if (bookingIds.length === 0) return locked;
  const { rows } = await client.query<BookingRow>(`${SELECT_BOOKING} WHERE b.id = ANY($1::uuid[]) ORDER BY b.id FOR UPDATE OF b`, [[...new Set(bookingIds)]]);
  for (const row of rows) locked.set(row.id, toStored(row));
  return locked;
}

/**
 * A consumer transaction's bookings, locked together (lockBatch), and the steps its handlers take
 * on them, queued and written together in one statement before COMMIT (writeQueuedSteps): a batch
 * of settlements was a statement per step, one after another, and under an on-sale that was the
 * slowest stage of a payment (issue 10).
 */
export interface StepBatch {
  /** Locked ahead, by id: each is handed to one `lock` and then forgotten. */
  locked: Map<string, StoredBooking>;
  /** Steps taken and not yet written, each with the list its written step joins (metrics, seat locks). */
  queued: Array<Step & { written?: WrittenStep[] }>;
}

/** These bookings locked in one statement (lockBookings), and no step queued yet. */
export async function lockBatch(client: Pick<PoolClient, 'query'>, bookingIds: readonly string[]): Promise<StepBatch> {
  return { locked: await lockBookings(client, bookingIds), queued: [] };
}

/**
 * The batch's queued steps in one statement (APPLY_STEPS). Every booking was locked by this
 * transaction (`lock`), so a version guard that writes nothing means a caller skipped the lock:
 * thrown, never written blind (the transaction rolls back).
 */
export async function writeQueuedSteps(client: Pick<PoolClient, 'query'>, batch: StepBatch): Promise<void> {
  const queued = batch.queued.splice(0);
  if (queued.length === 0) return;
  const written = await writeSteps(client, queued);
  written.forEach((step, i) => {
    const { before, written: list } = queued[i]!;
    if (!step) throw new Error(`booking ${before.id} changed under a transition (version ${before.version})`);
    list?.push(step);
  });
}

/**
 * A transaction's client whose every statement first writes the batch's queued steps: nothing
 * this transaction reads or writes then misses a step it took (a second step of one booking locks
 * it again and reads the first).
 */
function writingQueuedStepsFirst(client: PoolClient, batch: StepBatch): Pick<PoolClient, 'query'> {
  const query = async (...args: unknown[]) => {
    await writeQueuedSteps(client, batch);
    return (client.query as (...args: unknown[]) => Promise<unknown>)(...args);
  };
  // The same overloads as the client's: only the write before each statement is added.
  return { query } as unknown as Pick<PoolClient, 'query'>;
}

/**
 * `written`, when given, collects every step this transaction writes (metrics read it after the
 * commit). `batch`: bookings this transaction already locked (lockBatch); `lock` hands each out
 * once, as read then, and reads any other (or the same one again, after its step) itself; and
 * `apply` queues each step in the batch instead of writing it (writeQueuedSteps writes them).
 */
function transactionOn(client: PoolClient, written?: WrittenStep[], batch?: StepBatch): BookingTransaction {
  const db = batch ? writingQueuedStepsFirst(client, batch) : client;
  return {
    async lock(bookingId) {
      const held = batch?.locked.get(bookingId);
      if (batch && held) {
        batch.locked.delete(bookingId);
        return held;
      }
      const { rows } = await db.query<BookingRow>(`${SELECT_BOOKING} WHERE b.id = $1 FOR UPDATE OF b`, [bookingId]);
      return rows[0] ? toStored(rows[0]) : null;
    },

    async insertBooking({ booking, transition }, guestName = null) {
      // One statement, one round trip: the row, its claims, its history line and a seat sequence
      // number drawn after the claims (NEW_BOOKING_CTES).
      try {
        const { rows } = await db.query<{ seat_sequence: string | null }>(
          `WITH ${NEW_BOOKING_CTES('')}
           SELECT (SELECT seat_sequence FROM seq) AS seat_sequence`,
          newBookingParameters({ booking, transition }, guestName),
        );
        // A comp names no queue ticket, so nothing guards its row but the indexes.
        if (rows[0]!.seat_sequence === null) throw new Error(`booking ${booking.id} was not written`);
        written?.push({ ...whose(booking), from: null, to: booking.status, at: transition.at, refundRequested: false, paymentRequestedAt: null });
        return { seatSequence: Number(rows[0]!.seat_sequence) };
      } catch (error) {
        throw refusalOf(error);
      }
    },

    async apply(before, next, facts, envelopes) {
      const step = { before, next, facts, envelopes, written };
      // Queued in a consumer's batch; otherwise written now, as a batch of one.
      if (batch) batch.queued.push(step);
      else await writeQueuedSteps(client, { locked: new Map(), queued: [step] });
    },

    async nextSeatSequence() {
      const { rows } = await db.query<{ n: string }>(`SELECT nextval('seat_sequence') AS n`);
      return Number(rows[0]!.n);
    },

    appendToOutbox: (envelopes) => appendToOutbox(db, envelopes),

    claimedSeats: (seatIds) => claimedSeatsOn(db, seatIds),

    async insertBlock(block, at) {
      await db.query(`INSERT INTO seat_blocks (id, schedule_id, reason, blocked_by, blocked_at, version) VALUES ($1, $2, $3, $4, $5, $6)`, [
        block.id,
        block.scheduleId,
        block.reason,
        block.blockedBy,
        at,
        block.version,
      ]);
      try {
        // The same fence as a hold: one live claim per seat, a block's or a booking's.
        await db.query(
          `INSERT INTO seat_claims (block_id, seat_id, schedule_id, status, created_at)
           SELECT $1, seat_id, $2, 'BLOCKED', $3 FROM unnest($4::uuid[]) AS seat_id`,
          [block.id, block.scheduleId, at, block.seatIds],
        );
      } catch (error) {
        if (violates(error, ONE_ACTIVE_CLAIM_INDEX)) throw new SeatsTaken(seatFromDetail((error as { detail?: string }).detail));
        throw error;
      }
    },

    async lockBlockClaims(scheduleId, seatIds) {
      // Lock the blocks first, then read their claims in a later statement: a claim read in the
      // locking statement would be the snapshot before the wait, so two releases would both see
      // a seat BLOCKED. Repeated if the re-read names a block not locked yet (Redis lied and a
      // release and a new block of the seat overtook this one).
      const locked = new Map<string, number>();
      for (;;) {
        const { rows } = await db.query<{ seat_id: string; block_id: string }>(
          `SELECT seat_id::text, block_id::text FROM seat_claims
            WHERE schedule_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'BLOCKED'`,
          [scheduleId, seatIds],
        );
        const unlocked = [...new Set(rows.map((row) => row.block_id))].filter((id) => !locked.has(id)).sort();
        if (unlocked.length === 0) return rows.map((row) => ({ seatId: row.seat_id, blockId: row.block_id, blockVersion: locked.get(row.block_id)! }));
        const versions = await db.query<{ id: string; version: number }>(`SELECT id::text, version FROM seat_blocks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [unlocked]);
        for (const row of versions.rows) locked.set(row.id, row.version);
      }
    },

    async applyRelease(step) {
      const updated = await db.query(`UPDATE seat_blocks SET version = $2 WHERE id = $1 AND version = $3`, [step.blockId, step.version, step.version - 1]);
      if (updated.rowCount !== 1) throw new Error(`seat block ${step.blockId} changed under a release (version ${step.version - 1})`);
      const released = await db.query(`UPDATE seat_claims SET status = 'RELEASED' WHERE block_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'BLOCKED'`, [
        step.blockId,
        step.seatIds,
      ]);
      if (released.rowCount !== step.seatIds.length) throw new Error(`seat block ${step.blockId} released ${released.rowCount} of ${step.seatIds.length} seats`);
    },

    async lockOverdue(status, deadline, limit) {
      const column = status === 'HELD' ? 'held_until' : 'payment_requested_at';
      const { rows } = await db.query<BookingRow>(
        `${SELECT_BOOKING} WHERE b.status = $1 AND b.${column} <= $2 ORDER BY b.${column} LIMIT $3 FOR UPDATE OF b SKIP LOCKED`,
        [status, deadline, limit],
      );
      return rows.map(toStored);
    },
  };
}

/**
 * `committed` hears of the steps of each transaction that committed (metrics, seat locks), never
 * of a rolled-back one; the transaction answers once it is done.
 */
export function createPgBookingWriter(pool: Pool, committed?: (steps: readonly WrittenStep[]) => void | Promise<void>): BookingWriter {
  return {
    async transaction(work) {
      const written: WrittenStep[] = [];
      const result = await inTransaction(pool, (client) => work(transactionOn(client, written)));
      if (written.length > 0) await committed?.(written);
      return result;
    },

    async insertHold(hold, envelopes, { maxSeatsPerFan }) {
      const { booking, transition } = hold;
      let row: { claimed: number; inserted: number };
      try {
        const { rows } = await pool.query<{ claimed: number; inserted: number }>(INSERT_HOLD, [
          ...newBookingParameters(hold, null),
          CLAIMING_STATUSES,
          maxSeatsPerFan,
          ...outboxParameters(envelopes),
        ]);
        row = rows[0]!;
      } catch (error) {
        throw refusalOf(error);
      }
      if (row.inserted === 0) {
        if (row.claimed + booking.seatIds.length > maxSeatsPerFan) return { kind: 'OverCap', seatsClaimed: row.claimed };
        throw new TicketRetired();
      }
      await committed?.([{ ...whose(booking), from: null, to: booking.status, at: transition.at, refundRequested: false, paymentRequestedAt: null }]);
      return { kind: 'Held' };
    },

    async readForPayment(bookingId, userId, key) {
      // One round trip, one snapshot, no lock: payBooking's write is guarded by the version read
      // here, and its answer is these details with its step (detailsAfterStep).
      const { rows } = await pool.query<BookingRow & DetailsColumns & { key_used_for: string | null }>(
        `${SELECT_BOOKING_WITH(`${DETAILS_COLUMNS},
         (SELECT k.id::text FROM bookings k WHERE k.user_id = $2 AND k.payment_idempotency_key = $3) AS key_used_for`)}
          WHERE b.id = $1`,
        [bookingId, userId, key],
      );
      const row = rows[0];
      return row ? { booking: { ...toStored(row), ...detailsFromRow(row) }, keyUsedFor: row.key_used_for } : { booking: null, keyUsedFor: null };
    },

    claimedSeats: (seatIds) => claimedSeatsOn(pool, seatIds),

    async blockedSeats(scheduleId, seatIds) {
      const { rows } = await pool.query<{ seat_id: string }>(
        `SELECT seat_id::text FROM seat_claims WHERE schedule_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'BLOCKED'`,
        [scheduleId, seatIds],
      );
      return rows.map((row) => row.seat_id);
    },

    async applyIfUnchanged(before, next, facts, envelopes) {
      // Its own transaction: every part of APPLY_STEP hangs on the guarded row, so a write that
      // lost the race writes nothing at all.
      const [step] = await writeSteps(pool, [{ before, next, facts, envelopes }]);
      if (!step) return false;
      await committed?.([step]);
      return true;
    },
  };
}

/** The same writes inside a transaction someone else owns (a consumer's inbox transaction). */
export const bookingTransactionOn = transactionOn;
