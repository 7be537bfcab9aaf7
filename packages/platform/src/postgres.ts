import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool, PoolClient, QueryResult } from 'pg';

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

/** The text, if it opens a transaction: refused before any statement is sent otherwise. */
function opening(text: string): string {
  if (!/^BEGIN\b/.test(text)) throw new Error(`a transaction opens with BEGIN, not ${JSON.stringify(text.slice(0, 20))}`);
  return text;
}

/**
 * Runs `work` in one transaction on a client of its own: COMMIT when it resolves, ROLLBACK when
 * it throws (a failed ROLLBACK is dropped: the error that caused it is the one worth seeing).
 *
 * `begin`, when given, opens it instead of a bare BEGIN: one simple query that starts with BEGIN
 * and goes on with the transaction's first statements, so they cost no round trip of their own
 * (issue 10: the outbox relay's claim, an inbox consumer's insert). A simple query takes no
 * values, so only text the caller built from checked parts may go into it. Its results reach
 * `work` in order, BEGIN's first. A function is given the client first, for text that depends on
 * the connection (what the caller already prepared on it).
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient, begun: QueryResult[]) => Promise<T>,
  begin: string | ((client: PoolClient) => string) = 'BEGIN',
): Promise<T> {
  if (typeof begin === 'string') opening(begin);
  const client = await pool.connect();
  let text: string;
  try {
    text = typeof begin === 'string' ? begin : opening(begin(client));
  } catch (error) {
    client.release();
    throw error;
  }
  try {
    const opened = (await client.query(text)) as QueryResult | QueryResult[];
    const result = await work(client, Array.isArray(opened) ? opened : [opened]);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
