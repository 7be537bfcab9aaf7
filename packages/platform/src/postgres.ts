import { PrismaPg } from '@prisma/adapter-pg';

/**
 * The pg driver adapter every Prisma client uses (Prisma 6.19 with the JS engine: nothing
 * native is downloaded). Pool size is per process; five subgraphs share one PostgreSQL.
 */
export function createPgAdapter(connectionString: string, max = Number(process.env['PG_POOL_MAX'] ?? 10)): PrismaPg {
  return new PrismaPg({ connectionString, max });
}
