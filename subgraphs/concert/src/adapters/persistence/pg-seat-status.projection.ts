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
      // Locks in id order first: two bookings' changes on overlapping seats would otherwise lock
      // rows in whatever order each UPDATE's plan meets them, and could deadlock each other.
      await tx.query(
        `SELECT id FROM seats WHERE schedule_id = $1 AND id = ANY($2::uuid[]) AND status_sequence < $3 ORDER BY id FOR UPDATE`,
        [scheduleId, seatIds, sequence],
      );
      // Same guard: seats whose newer change committed while we waited were not locked and stay as they are.
      const { rows } = await tx.query<SeatRow>(
        `UPDATE seats SET status = $3::"SeatStatus", status_sequence = $4, updated_at = now()
          WHERE schedule_id = $1 AND id = ANY($2::uuid[]) AND status_sequence < $4
          RETURNING id, schedule_id, section, row, number, price, status`,
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
