import type { Pool } from 'pg';
import { createLogger, createPgPool } from '@ticketing/platform';
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
    const url = testSystem().env[urlVar];
    if (!url) throw new Error(`${urlVar} is not in the test system's environment`);
    pool = createPgPool(url, { max: 3, logger: createLogger('test-support', 'warn'), name: 'test-support', maxPreparedStatements: 0 });
    pools.set(urlVar, pool);
  }
  return (await pool.query<T>(text, values)).rows;
}

export async function closeDatabases(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.end()));
  pools.clear();
}
