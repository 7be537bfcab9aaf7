import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { createLogger } from '@ticketing/platform';
import { createScratchPool, eventually } from '@ticketing/test-support';
import { hold } from '../src/domain/booking';
import { createOverdueSweeper } from '../src/application/overdue-sweeper';
import type { BookingWriter } from '../src/application/ports';
import { recordFanHold } from '../src/application/record-transition';
import { createPgBookingWriter } from '../src/adapters/persistence/pg-booking.writer';
import { createPgOverdueDeadlines } from '../src/adapters/persistence/pg-overdue-deadlines';

const logger = createLogger('sweeper-idle-test', 'silent');

let db: { pool: Pool; drop: () => Promise<void> };

beforeEach(async () => {
  db = await createScratchPool('booking', 10);
});
afterEach(() => db.drop());

/** The real writer, counting the transactions the sweeper opens (two per pass: holds, then payments). */
function countingWriter(pool: Pool): { writer: BookingWriter; transactions: () => number } {
  const real = createPgBookingWriter(pool);
  let transactions = 0;
  return {
    writer: {
      ...real,
      transaction: (work) => {
        transactions++;
        return real.transaction(work);
      },
    },
    transactions: () => transactions,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an idle overdue sweeper', () => {
  it('given nothing pending, when left alone for 3 s with a 100 ms interval, then it sweeps once and sleeps (it scanned every interval: ~30 passes)', async () => {
    const { writer, transactions } = countingWriter(db.pool);
    const sweeper = createOverdueSweeper({
      writer,
      paymentTimeoutSeconds: 120,
      holdTtlSeconds: 300,
      nextDeadline: createPgOverdueDeadlines(db.pool, 120),
      intervalMs: 100,
      logger,
    });
    sweeper.start();
    await sleep(3_000);
    await sweeper.stop();
    expect(transactions()).toBeGreaterThanOrEqual(2);
    expect(transactions()).toBeLessThanOrEqual(2 * 2);
  });

  it('given a hold that lapses in 2 s, then the sweeper sleeps until its deadline and expires it in the pass it woke for', async () => {
    const writer = createPgBookingWriter(db.pool);
    const decided = hold(
      { bookingId: randomUUID(), userId: randomUUID(), scheduleId: randomUUID(), queueTicketId: `ticket-${randomUUID()}`, seats: [{ seatId: randomUUID(), price: 100 }], holdTtlSeconds: 2 },
      new Date(),
    );
    if (decided.kind !== 'Transitioned') throw new Error(decided.kind);
    await recordFanHold(writer, decided, { correlationId: 'test', causationId: null }, { maxSeatsPerFan: 100 });
    const counted = countingWriter(db.pool);
    const sweeper = createOverdueSweeper({
      writer: counted.writer,
      paymentTimeoutSeconds: 600,
      holdTtlSeconds: 600,
      nextDeadline: createPgOverdueDeadlines(db.pool, 600),
      intervalMs: 100,
      logger,
    });
    sweeper.start();
    const expired = await eventually(async () => {
      const { rows } = await db.pool.query<{ status: string; at: Date }>(
        `SELECT b.status::text, t.at FROM bookings b JOIN booking_transitions t ON t.booking_id = b.id AND t.status = 'EXPIRED' WHERE b.id = $1`,
        [decided.booking.id],
      );
      return rows[0];
    }, 30_000, 'the hold to expire');
    await sweeper.stop();
    // One pass before the deadline, the one it woke for at the deadline (never before it).
    expect(counted.transactions()).toBe(2 * 2);
    expect(expired.at.getTime()).toBeGreaterThanOrEqual(decided.booking.heldUntil!.getTime());
  });
});
