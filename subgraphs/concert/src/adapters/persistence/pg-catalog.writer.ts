import { inTransaction } from '@ticketing/platform';
import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { appendToOutbox } from '@ticketing/messaging';
import { CatalogRowExists, type CatalogTransaction, type CatalogWriter } from '../../application/ports';
import type { Concert, Schedule } from '../../domain/catalog';
import type { SeatPosition } from '../../domain/seat-layout';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

const isPgError = (error: unknown, code: string) => error instanceof DatabaseError && error.code === code;

const CONCERT_COLUMNS = 'id, title, artist, venue, created_at AS "createdAt"';
const SCHEDULE_COLUMNS = 'id, concert_id AS "concertId", starts_at AS "startsAt", booking_opens_at AS "bookingOpensAt", max_seats_per_fan AS "maxSeatsPerFan", refund_cutoff_hours AS "refundCutoffHours", prices_frozen_at AS "pricesFrozenAt", sales_closed_at AS "salesClosedAt"';

/** The tables a stream's version lives on; fixed names, never caller input. */
const STREAM_TABLES = { concert: 'concerts', schedule: 'schedules' } as const;

function transactionOn(client: PoolClient): CatalogTransaction {
  return {
    async insertConcert(concert) {
      try {
        const { rows } = await client.query<Concert>(
          `INSERT INTO concerts (id, title, artist, venue) VALUES ($1, $2, $3, $4) RETURNING ${CONCERT_COLUMNS}`,
          [concert.id, concert.title, concert.artist, concert.venue],
        );
        return rows[0]!;
      } catch (error) {
        if (isPgError(error, UNIQUE_VIOLATION)) throw new CatalogRowExists(`concert ${concert.id} exists`, { cause: error });
        throw error;
      }
    },
    async insertSchedule(schedule) {
      try {
        await client.query(
          'INSERT INTO schedules (id, concert_id, starts_at, booking_opens_at, max_seats_per_fan, refund_cutoff_hours) VALUES ($1, $2, $3, $4, $5, $6)',
          [schedule.id, schedule.concertId, schedule.startsAt, schedule.bookingOpensAt, schedule.maxSeatsPerFan, schedule.refundCutoffHours],
        );
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
    async lockConcert(id) {
      const { rows } = await client.query<Concert>(`SELECT ${CONCERT_COLUMNS} FROM concerts WHERE id = $1::uuid FOR UPDATE`, [id]);
      return rows[0] ?? null;
    },
    async updateConcert(concert) {
      await client.query('UPDATE concerts SET title = $2, artist = $3, venue = $4 WHERE id = $1::uuid', [concert.id, concert.title, concert.artist, concert.venue]);
    },
    async lockSchedule(id) {
      const { rows } = await client.query<Schedule>(`SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE id = $1::uuid FOR UPDATE`, [id]);
      return rows[0] ?? null;
    },
    async updateSchedule(schedule) {
      await client.query(
        'UPDATE schedules SET starts_at = $2, booking_opens_at = $3, max_seats_per_fan = $4, sales_closed_at = $5, refund_cutoff_hours = $6 WHERE id = $1::uuid',
        [schedule.id, schedule.startsAt, schedule.bookingOpensAt, schedule.maxSeatsPerFan, schedule.salesClosedAt ?? null, schedule.refundCutoffHours],
      );
    },
    async countSeats(scheduleId) {
      const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM seats WHERE schedule_id = $1::uuid', [scheduleId]);
      return rows[0]?.count ?? 0;
    },
    async findTakenSeats(scheduleId, positions, limit) {
      if (positions.length === 0) return [];
      // One statement for any number of positions, answered from the (schedule, section, row, number) unique index.
      const { rows } = await client.query<SeatPosition>(
        `SELECT s.section, s."row", s.number
           FROM unnest($2::text[], $3::text[], $4::int[]) AS p(section, "row", number)
           JOIN seats s ON s.schedule_id = $1::uuid AND s.section = p.section AND s."row" = p."row" AND s.number = p.number
          ORDER BY s.section, s."row", s.number
          LIMIT $5`,
        [scheduleId, positions.map((p) => p.section), positions.map((p) => p.row), positions.map((p) => p.number), limit],
      );
      return rows;
    },
    async claimVersions(stream, id, count) {
      const { rows } = await client.query<{ from: number }>(
        `UPDATE ${STREAM_TABLES[stream]} SET version = version + $2 WHERE id = $1::uuid RETURNING version - $2 AS "from"`,
        [id, count],
      );
      return rows[0]?.from ?? null;
    },
    appendToOutbox: (envelopes) => appendToOutbox(client, envelopes),
    async freezePrices(scheduleId, at) {
      await client.query('UPDATE schedules SET prices_frozen_at = $2 WHERE id = $1::uuid', [scheduleId, at]);
    },
    async sectionPrices(scheduleId, section) {
      const { rows } = await client.query<{ price: number }>('SELECT DISTINCT price FROM seats WHERE schedule_id = $1::uuid AND section = $2 ORDER BY price', [
        scheduleId,
        section,
      ]);
      return rows.map((row) => row.price);
    },
    async setSectionPrice(scheduleId, section, price) {
      await client.query('UPDATE seats SET price = $3 WHERE schedule_id = $1::uuid AND section = $2', [scheduleId, section, price]);
    },
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
