import { Pool } from 'pg';
import { envVar, type DatabaseName } from '@ticketing/contracts';
import { testSystem } from './system';

const pools = new Map<string, Pool>();

/** Direct SQL on a subgraph's test database, for invariant checks after a race. */
export async function sql<T extends Record<string, unknown>>(
  database: DatabaseName,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const urlVar = envVar(database, 'DATABASE_URL');
  let pool = pools.get(urlVar);
  if (!pool) {
    pool = new Pool({ connectionString: testSystem().env[urlVar], max: 3 });
    pools.set(urlVar, pool);
  }
  return (await pool.query<T>(text, values)).rows;
}

export async function closeDatabases(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end()));
  pools.clear();
}
