import type { PoolClient } from 'pg';
import type { SeatStatusProjection } from '../../application/ports';
import type { Seat, SeatStatus } from '../../domain/catalog';
import type { SeatStatusChange } from '../../domain/seat-projection';

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
 * Seat status changes as one statement (issue 10; a change was one, and a consumer's batch a
 * statement per change), each change a row of the unnest, numbered `n`. `change` keeps, for each
 * seat, the change with the largest sequence among those naming it with its own schedule: applied
 * one after another, the others would end under it anyway. `locked` takes the row locks in id
 * order first: two batches' changes on overlapping seats would otherwise lock rows in whatever
 * order each UPDATE's plan meets them, and could deadlock each other. Whatever the join's plan, no
 * row is updated before it is locked, and rows are locked in id order. The same guard twice: a
 * seat whose newer change committed while we waited is skipped by the lock's re-check (READ
 * COMMITTED re-reads a row it waited for) and, had the UPDATE's own snapshot still seen the old
 * version, by the UPDATE's. Each row returned is a seat, as it is now, and the change it took.
 */
const APPLY_CHANGES = `
  WITH change AS (
    SELECT DISTINCT ON (c.seat_id) c.seat_id, c.status, c.sequence, c.n
      FROM unnest($1::uuid[], $2::uuid[], $3::"SeatStatus"[], $4::bigint[], $5::int[]) AS c(seat_id, schedule_id, status, sequence, n)
      JOIN seats s ON s.id = c.seat_id AND s.schedule_id = c.schedule_id
     ORDER BY c.seat_id, c.sequence DESC),
  locked AS (
    SELECT s.id FROM seats s JOIN change ON change.seat_id = s.id
     WHERE s.status_sequence < change.sequence
     ORDER BY s.id FOR UPDATE OF s)
  UPDATE seats s SET status = change.status, status_sequence = change.sequence, updated_at = now()
    FROM locked JOIN change ON change.seat_id = locked.id
   WHERE s.id = locked.id AND s.status_sequence < change.sequence
   RETURNING change.n, s.id, s.schedule_id, s.section, s.row, s.number, s.price, s.status`;

/**
 * These changes in one statement (APPLY_CHANGES), on the caller's transaction. For each change,
 * in order, the seats that took it, as they are now: a seat a later change of the same batch
 * overtakes (a larger sequence) is that change's, as if they had been applied one by one.
 */
export async function applySeatChanges(tx: Pick<PoolClient, 'query'>, changes: readonly SeatStatusChange[]): Promise<Seat[][]> {
  const rows = changes.flatMap((change, i) => change.seatIds.map((seatId) => ({ seatId, change, n: i + 1 })));
  const taken: Seat[][] = changes.map(() => []);
  if (rows.length === 0) return taken;
  const result = await tx.query<SeatRow & { n: number }>(APPLY_CHANGES, [
    rows.map((row) => row.seatId),
    rows.map((row) => row.change.scheduleId),
    rows.map((row) => row.change.status),
    rows.map((row) => row.change.sequence),
    rows.map((row) => row.n),
  ]);
  for (const row of result.rows) taken[row.n - 1]!.push(toSeat(row));
  return taken;
}

/**
 * The projection on the consumer's own transaction (plain pg: the inbox row is written through
 * the same client, so effect and "handled" commit together). `appliedAhead`: what this change
 * already did in a statement of its batch (applySeatChanges, run before the handlers), answered
 * once instead of applying it again.
 */
export function createPgSeatStatusProjection(tx: Pick<PoolClient, 'query'>, appliedAhead?: Seat[]): SeatStatusProjection {
  let ahead = appliedAhead;
  return {
    async apply(change) {
      if (ahead) {
        const seats = ahead;
        ahead = undefined;
        return seats;
      }
      return (await applySeatChanges(tx, [change]))[0]!;
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
