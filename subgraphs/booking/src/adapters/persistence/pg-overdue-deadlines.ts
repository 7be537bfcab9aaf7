import type { Pool } from 'pg';

/**
 * When the next booking falls due for the sweeper: the earliest `held_until` of a HELD booking, or
 * the earliest payment request plus the timeout of a PAYMENT_PENDING one (both read through their
 * partial indexes), or null when nothing is pending.
 */
export function createPgOverdueDeadlines(pool: Pool, paymentTimeoutSeconds: number): () => Promise<Date | null> {
  return async () => {
    const { rows } = await pool.query<{ at: Date | null }>(
      `SELECT least((SELECT min(held_until) FROM bookings WHERE status = 'HELD'),
                    (SELECT min(payment_requested_at) FROM bookings WHERE status = 'PAYMENT_PENDING') + make_interval(secs => $1)) AS at`,
      [paymentTimeoutSeconds],
    );
    return rows[0]?.at ?? null;
  };
}
