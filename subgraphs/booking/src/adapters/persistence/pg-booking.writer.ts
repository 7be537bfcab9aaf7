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
 * A step of a locked booking as one statement (issue 10; it was two, the write and the outbox):
 * the row, guarded by its version; its claims when the status moves; its history line (one per
 * version, a refund request included: the history and the event stream count alike); `seq`, a
 * seat sequence number when $13 says the events move seats, drawn after the claims are written
 * (the aggregate over them), and none when the guard wrote no row; and the outbox rows (the one
 * outbox writer's outboxInsertSql), each event that carries a seatSequence given the drawn one.
 */
const APPLY_STEP = `
  WITH updated AS (
    UPDATE bookings
       SET status = $3, held_until = $4, version = $5, updated_at = $6,
           payment_id = COALESCE($7, payment_id),
           payment_idempotency_key = COALESCE($8, payment_idempotency_key),
           payment_requested_at = COALESCE($9, payment_requested_at)
     WHERE id = $1 AND version = $2
     RETURNING id, payment_requested_at),
  claims AS (
    UPDATE seat_claims SET status = $3 FROM updated
     WHERE seat_claims.booking_id = updated.id AND $10::boolean
     RETURNING seat_claims.seat_id),
  history AS (
    INSERT INTO booking_transitions (booking_id, version, status, at, reason)
    SELECT updated.id, $5, $11, $6, $12 FROM updated),
  seq AS (
    SELECT CASE WHEN $13::boolean THEN nextval('seat_sequence') END AS seat_sequence
      FROM updated, (SELECT count(*) FROM claims) AS claimed),
  outbox AS (
    ${outboxInsertSql(14, {
      from: 'seq',
      payload: (envelope) => `CASE WHEN ${envelope} #> '{payload,seatSequence}' IS NULL THEN ${envelope} ELSE jsonb_set(${envelope}, '{payload,seatSequence}', to_jsonb(seq.seat_sequence)) END`,
    })})
  SELECT updated.payment_requested_at FROM updated`;

const whose = (booking: Booking) => ({ bookingId: booking.id, scheduleId: booking.scheduleId, seatIds: booking.seatIds });

/**
 * One statement (APPLY_STEP): the row if still at `before`'s version, its claims, its history
 * line, the seat sequence when the events need one, and the events into the outbox with that
 * number set. Null when the version guard wrote nothing.
 */
async function writeStep(
  db: Pick<PoolClient, 'query'>,
  before: StoredBooking,
  { booking, transition, events }: Decided,
  facts: SagaFacts,
  envelopes: readonly EventEnvelope[],
): Promise<WrittenStep | null> {
  const { rows } = await db
    .query<{ payment_requested_at: Date | null }>(APPLY_STEP, [
      booking.id,
      before.version,
      booking.status,
      booking.heldUntil,
      booking.version,
      transition.at,
      booking.paymentId,
      facts.paymentIdempotencyKey ?? null,
      facts.paymentRequestedAt ?? null,
      booking.status !== before.status,
      transition.status,
      transition.reason,
      needsSeatSequence(events),
      ...outboxParameters(envelopes),
    ])
    .catch((error: unknown) => {
      if (violates(error, PAYMENT_KEY_INDEX)) throw new PaymentKeyReused();
      throw error;
    });
  const row = rows[0];
  if (!row) return null;
  return {
    ...whose(booking),
    from: before.status,
    to: booking.status,
    at: transition.at,
    refundRequested: events.some((event) => event.type === 'RefundRequested'),
    refundedBy: events.find((event) => event.type === 'BookingRefunded')?.payload.refundedBy,
    paymentRequestedAt: row.payment_requested_at,
  };
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
export async function lockBookings(client: Pick<PoolClient, 'query'>, bookingIds: readonly string[]): Promise<LockedBookings> {
  const locked: LockedBookings = new Map();
  if (bookingIds.length === 0) return locked;
  const { rows } = await client.query<BookingRow>(`${SELECT_BOOKING} WHERE b.id = ANY($1::uuid[]) ORDER BY b.id FOR UPDATE OF b`, [[...new Set(bookingIds)]]);
  for (const row of rows) locked.set(row.id, toStored(row));
  return locked;
}

/** Bookings this transaction locked ahead, by id: each is handed to one `lock` and then forgotten. */
export type LockedBookings = Map<string, StoredBooking>;

/**
 * `written`, when given, collects every step this transaction writes (metrics read it after the
 * commit). `locked`: bookings this transaction already locked (lockBookings); `lock` hands each
 * out once, as read then, and reads any other (or the same one again, after its step) itself.
 */
function transactionOn(client: PoolClient, written?: WrittenStep[], locked?: LockedBookings): BookingTransaction {
  return {
    async lock(bookingId) {
      const held = locked?.get(bookingId);
      if (held) {
        locked!.delete(bookingId);
        return held;
      }
      const { rows } = await client.query<BookingRow>(`${SELECT_BOOKING} WHERE b.id = $1 FOR UPDATE OF b`, [bookingId]);
      return rows[0] ? toStored(rows[0]) : null;
    },

    async insertBooking({ booking, transition }, guestName = null) {
      // One statement, one round trip: the row, its claims, its history line and a seat sequence
      // number drawn after the claims (NEW_BOOKING_CTES).
      try {
        const { rows } = await client.query<{ seat_sequence: string | null }>(
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
      const step = await writeStep(client, before, next, facts, envelopes);
      // The row is locked by `lock`, so this only fires if a caller skipped it: never write blind.
      if (!step) throw new Error(`booking ${next.booking.id} changed under a transition (version ${before.version})`);
      written?.push(step);
    },

    async nextSeatSequence() {
      const { rows } = await client.query<{ n: string }>(`SELECT nextval('seat_sequence') AS n`);
      return Number(rows[0]!.n);
    },

    appendToOutbox: (envelopes) => appendToOutbox(client, envelopes),

    claimedSeats: (seatIds) => claimedSeatsOn(client, seatIds),

    async insertBlock(block, at) {
      await client.query(`INSERT INTO seat_blocks (id, schedule_id, reason, blocked_by, blocked_at, version) VALUES ($1, $2, $3, $4, $5, $6)`, [
        block.id,
        block.scheduleId,
        block.reason,
        block.blockedBy,
        at,
        block.version,
      ]);
      try {
        // The same fence as a hold: one live claim per seat, a block's or a booking's.
        await client.query(
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
        const { rows } = await client.query<{ seat_id: string; block_id: string }>(
          `SELECT seat_id::text, block_id::text FROM seat_claims
            WHERE schedule_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'BLOCKED'`,
          [scheduleId, seatIds],
        );
        const unlocked = [...new Set(rows.map((row) => row.block_id))].filter((id) => !locked.has(id)).sort();
        if (unlocked.length === 0) return rows.map((row) => ({ seatId: row.seat_id, blockId: row.block_id, blockVersion: locked.get(row.block_id)! }));
        const versions = await client.query<{ id: string; version: number }>(`SELECT id::text, version FROM seat_blocks WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [unlocked]);
        for (const row of versions.rows) locked.set(row.id, row.version);
      }
    },

    async applyRelease(step) {
      const updated = await client.query(`UPDATE seat_blocks SET version = $2 WHERE id = $1 AND version = $3`, [step.blockId, step.version, step.version - 1]);
      if (updated.rowCount !== 1) throw new Error(`seat block ${step.blockId} changed under a release (version ${step.version - 1})`);
      const released = await client.query(`UPDATE seat_claims SET status = 'RELEASED' WHERE block_id = $1 AND seat_id = ANY($2::uuid[]) AND status = 'BLOCKED'`, [
        step.blockId,
        step.seatIds,
      ]);
      if (released.rowCount !== step.seatIds.length) throw new Error(`seat block ${step.blockId} released ${released.rowCount} of ${step.seatIds.length} seats`);
    },

    async lockOverdue(status, deadline, limit) {
      const column = status === 'HELD' ? 'held_until' : 'payment_requested_at';
      const { rows } = await client.query<BookingRow>(
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
      const step = await writeStep(pool, before, next, facts, envelopes);
      if (!step) return false;
      await committed?.([step]);
      return true;
    },
  };
}

/** The same writes inside a transaction someone else owns (a consumer's inbox transaction). */
export const bookingTransactionOn = transactionOn;
