import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool, PoolClient } from 'pg';

/**
 * The pg driver adapter every Prisma client uses (Prisma 6.19 with the JS engine: nothing
 * native is downloaded), on the service's one pool (createPgPool): Prisma's reads and pg's
 * transactions share its connections, its idle-error handler and its metrics, instead of each
 * opening a pool of its own. PrismaPg leaves an external pool open: the owner ends it, after
 * `prisma.$disconnect()`. Never call Prisma while holding a client of the same pool in a
 * transaction (a full pool would wait on itself); the services read through Prisma and write
 * through pg, never both in one unit of work.
 */
export function createPgAdapter(pool: Pool): PrismaPg {
  return new PrismaPg(pool);
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
