import { inTransaction } from '@ticketing/platform';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { appendToOutbox } from '@ticketing/messaging';
import { CatalogRowExists, type CatalogTransaction, type CatalogWriter } from '../../application/ports';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

const isPgError = (error: unknown, code: string) => error instanceof DatabaseError && error.code === code;

/** The tables a stream's version lives on; fixed names, never caller input. */
const STREAM_TABLES = { concert: 'concerts', schedule: 'schedules' } as const;

function transactionOn(client: PoolClient): CatalogTransaction {
  return {
    async insertConcert(concert) {
      try {
        await client.query('INSERT INTO concerts (id, title, artist, venue) VALUES ($1, $2, $3, $4)', [concert.id, concert.title, concert.artist, concert.venue]);
      } catch (error) {
        if (isPgError(error, UNIQUE_VIOLATION)) throw new CatalogRowExists(`concert ${concert.id} exists`, { cause: error });
        throw error;
      }
    },
    async insertSchedule(schedule) {
      try {
        await client.query('INSERT INTO schedules (id, concert_id, starts_at, booking_opens_at, max_seats_per_fan) VALUES ($1, $2, $3, $4, $5)', [
          schedule.id,
          schedule.concertId,
          schedule.startsAt,
          schedule.bookingOpensAt,
          schedule.maxSeatsPerFan,
        ]);
        return 'inserted';
      } catch (error) {
        if (isPgError(error, FOREIGN_KEY_VIOLATION)) return 'ConcertNotFound';
        if (isPgError(error, UNIQUE_VIOLATION)) throw new CatalogRowExists(`schedule ${schedule.id} exists`, { cause: error });
        throw error;
      }
    },
    async insertSeats(scheduleId, seats) {
      if (seats.length === 0) return;
      // One statement for any number of seats.
      await client.query(
        `INSERT INTO seats (id, schedule_id, section, row, number, price)
         SELECT id, $1::uuid, section, row, number, price
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[]) AS s(id, section, row, number, price)`,
        [scheduleId, seats.map((s) => s.seatId), seats.map((s) => s.section), seats.map((s) => s.row), seats.map((s) => s.number), seats.map((s) => s.price)],
      );
    },
    async claimVersions(stream, id, count) {
      const { rows } = await client.query<{ from: number }>(
        `UPDATE ${STREAM_TABLES[stream]} SET version = version + $2 WHERE id = $1::uuid RETURNING version - $2 AS "from"`,
        [id, count],
      );
      return rows[0]?.from ?? null;
    },
    appendToOutbox: (envelopes) => appendToOutbox(client, envelopes),
    async concertCount() {
      const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM concerts');
      return rows[0]?.count ?? 0;
    },
  };
}

/** Catalog writes on plain pg, so rows and their outbox rows share a transaction. `onCommitted` wakes the relay. */
export function createPgCatalogWriter(pool: Pool, onCommitted: () => void = () => undefined): CatalogWriter {
  return {
    async transact(work) {
      const result = await inTransaction(pool, (client) => work(transactionOn(client)));
      onCommitted();
      return result;
    },
  };
}
