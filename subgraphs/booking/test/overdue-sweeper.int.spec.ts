import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { createLogger } from '@ticketing/platform';
import { createScratchPool } from '@ticketing/test-support';
import { hold } from '../src/domain/booking';
import { createOverdueSweeper } from '../src/application/overdue-sweeper';
import { createPgBookingWriter } from '../src/adapters/persistence/pg-booking.writer';
import { recordFanHold } from '../src/application/record-transition';

const logger = createLogger('sweeper-test', 'silent');

let db: { pool: Pool; drop: () => Promise<void> };
let pool: Pool;

beforeAll(async () => {
  db = await createScratchPool('booking', 10);
  pool = db.pool;
});
afterAll(() => db.drop());

/** Holds written through the real writer, already past their deadline. */
async function lapsedHolds(count: number): Promise<string[]> {
  const writer = createPgBookingWriter(pool);
  const scheduleId = randomUUID();
  const past = new Date(Date.now() - 60_000);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const decided = hold({ bookingId: randomUUID(), userId: randomUUID(), scheduleId, queueTicketId: `ticket-${randomUUID()}`, seats: [{ seatId: randomUUID(), price: 100 }], holdTtlSeconds: 1 }, past);
    if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
    await recordFanHold(writer, decided, { correlationId: 'test', causationId: null }, { maxSeatsPerFan: 100 });
    ids.push(decided.booking.id);
  }
  return ids;
}

describe('the overdue sweeper', () => {
  it('expires every lapsed hold exactly once with two sweepers racing (SKIP LOCKED + guarded transition)', async () => {
    const ids = await lapsedHolds(250);
    const sweepers = [0, 1].map(() => createOverdueSweeper({ writer: createPgBookingWriter(pool), paymentTimeoutSeconds: 60, intervalMs: 1_000, batchSize: 20, logger }));
    const [a, b] = await Promise.all(sweepers.map((sweeper) => sweeper.sweepOnce()));
    expect(a! + b!).toBe(250);
    const { rows: transitions } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM booking_transitions WHERE booking_id = ANY($1::uuid[]) AND status = 'EXPIRED' GROUP BY booking_id`,
      [ids],
    );
    expect(transitions).toHaveLength(250);
    expect(transitions.every((row) => row.n === 1)).toBe(true);
    const { rows: events } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = ANY($1::text[]) AND event_type = 'BookingExpired'`,
      [ids],
    );
    expect(events[0]!.n).toBe(250);
    const { rows: claims } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM seat_claims WHERE booking_id = ANY($1::uuid[]) AND status = 'HELD'`, [ids]);
    expect(claims[0]!.n).toBe(0);
  });

  it('leaves holds whose deadline has not come', async () => {
    const writer = createPgBookingWriter(pool);
    const decided = hold({ bookingId: randomUUID(), userId: randomUUID(), scheduleId: randomUUID(), queueTicketId: `ticket-${randomUUID()}`, seats: [{ seatId: randomUUID(), price: 1 }], holdTtlSeconds: 600 }, new Date());
    if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
    await recordFanHold(writer, decided, { correlationId: 'test', causationId: null }, { maxSeatsPerFan: 100 });
    await createOverdueSweeper({ writer, paymentTimeoutSeconds: 60, intervalMs: 1_000, logger }).sweepOnce();
    const { rows } = await pool.query<{ status: string }>('SELECT status::text FROM bookings WHERE id = $1', [decided.booking.id]);
    expect(rows[0]?.status).toBe('HELD');
  });
});
