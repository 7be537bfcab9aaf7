import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool, PoolClient } from 'pg';

/**
 * The pg driver adapter every Prisma client uses (Prisma 6.19 with the JS engine: nothing
 * native is downloaded). Pool size is per process; five subgraphs share one PostgreSQL.
 */
export function createPgAdapter(connectionString: string, max = Number(process.env['PG_POOL_MAX'] ?? 10)): PrismaPg {
  return new PrismaPg({ connectionString, max });
}

/**
 * Runs `work` in one transaction on a client of its own: COMMIT when it resolves, ROLLBACK when
 * it throws (a failed ROLLBACK is dropped: the error that caused it is the one worth seeing).
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
