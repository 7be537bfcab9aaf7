import type { PoolClient } from 'pg';
import type { SeatStatusProjection } from '../../application/ports';
import type { Seat, SeatStatus } from '../../domain/catalog';

interface SeatRow {
  id: string;
  schedule_id: string;
  section: string;
  row: string;
  number: number;
  price: number;
  status: SeatStatus;
}

/**
 * The projection on the consumer's own transaction (plain pg: the inbox row is written through
 * the same client, so effect and "handled" commit together).
 */
export function createPgSeatStatusProjection(tx: PoolClient): SeatStatusProjection {
  return {
    async apply({ scheduleId, seatIds, status, sequence }) {
      // One statement (issue 10; it was two). `locked` takes the row locks in id order first: two
      // bookings' changes on overlapping seats would otherwise lock rows in whatever order each
      // UPDATE's plan meets them, and could deadlock each other. Whatever the join's plan, no row
      // is updated before it is locked, and rows are locked in id order. The same guard twice:
      // a seat whose newer change committed while we waited is skipped by the lock's re-check
      // (READ COMMITTED re-reads a row it waited for) and, had the UPDATE's own snapshot still
      // seen the old version, by the UPDATE's.
      const { rows } = await tx.query<SeatRow>(
        `WITH locked AS (
           SELECT id FROM seats WHERE schedule_id = $1 AND id = ANY($2::uuid[]) AND status_sequence < $4 ORDER BY id FOR UPDATE)
         UPDATE seats s SET status = $3::"SeatStatus", status_sequence = $4, updated_at = now()
           FROM locked
          WHERE s.id = locked.id AND s.status_sequence < $4
          RETURNING s.id, s.schedule_id, s.section, s.row, s.number, s.price, s.status`,
        [scheduleId, seatIds, status, sequence],
      );
      return rows.map(toSeat);
    },
  };
}

function toSeat(row: SeatRow): Seat {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    section: row.section,
    row: row.row,
    number: row.number,
    price: row.price,
    status: row.status,
  };
}
