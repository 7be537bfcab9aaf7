import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createScratchDatabase } from '@ticketing/test-support';
import { hold } from '../src/domain/booking';
import { createPgBookingWriter } from '../src/adapters/persistence/pg-booking.writer';
import { recordFanHold } from '../src/application/record-transition';
import { createPgBookingStore } from '../src/adapters/persistence/pg-booking.store';

let db: { url: string; drop: () => Promise<void> };
let pool: Pool;

beforeAll(async () => {
  db = await createScratchDatabase('booking');
  pool = new Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/**
 * A booking is read as several statements (the row, its seats, its history). The gateway's
 * `bookingUpdated` derives the version from the history's length and pushes the status beside
 * it: a read that saw the row before a transition and the history after it announced an old
 * status under a new version, and the real next status was then dropped as stale.
 */
describe('reading bookings while they change', () => {
  it('never answers a status from before a transition with the history from after it', async () => {
    const booking = hold(
      { bookingId: randomUUID(), userId: randomUUID(), scheduleId: randomUUID(), queueTicketId: `ticket-${randomUUID()}`, seats: [{ seatId: randomUUID(), price: 100 }], holdTtlSeconds: 60 },
      new Date(),
    );
    if (booking.kind !== 'Transitioned') throw new Error(booking.kind);
    await recordFanHold(createPgBookingWriter(pool), booking, { correlationId: 'test', causationId: null }, { maxSeatsPerFan: 100 });
    const id = booking.booking.id;
    const store = createPgBookingStore(pool);

    // Each transition is one statement, as atomic as the writer's transaction.
    const transitions = 300;
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < transitions; i++) {
        const status = i % 2 === 0 ? 'PAYMENT_PENDING' : 'HELD';
        await pool.query(
          `WITH moved AS (UPDATE bookings SET status = $2::"BookingStatus", version = version + 1 WHERE id = $1 RETURNING id, version)
           INSERT INTO booking_transitions (booking_id, version, status, at, reason) SELECT id, version, $2::"BookingStatus", now(), 'race' FROM moved`,
          [id, status],
        );
      }
      writing = false;
    })();
    const torn: string[] = [];
    let reads = 0;
    while (writing) {
      const [read] = await store.findByIds([id]);
      reads++;
      const last = read!.history[read!.history.length - 1]!;
      if (last.status !== read!.status || read!.history.length - 1 !== read!.version) {
        torn.push(`status ${read!.status} v${read!.version} with ${read!.history.length} history rows ending ${last.status}`);
      }
    }
    await writer;

    expect(reads).toBeGreaterThan(10);
    expect(torn).toEqual([]);
  });
});
