import { z } from 'zod';

export const DEFAULT_EVENT_STORE_URL = 'mongodb://127.0.0.1:27017/ticketing_events';

/** `EVENT_STORE_URL`: a MongoDB connection string whose path names the database. */
export const eventStoreUrlSchema = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\/[^/?]+\/[A-Za-z0-9_-]+(\?.*)?$/, 'EVENT_STORE_URL must be mongodb://host[:port]/<database>[?options]')
  .default(DEFAULT_EVENT_STORE_URL);

const URL_PARTS = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/;

/** The same server and options, another database: one per test run or spec file. */
export function withDatabase(url: string, database: string): string {
  const match = URL_PARTS.exec(url);
  if (!match) throw new Error(`not a MongoDB connection string: ${url}`);
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) throw new Error(`not a database name: ${database}`);
  return `${match[1]}/${database}${match[2] ?? ''}`;
}
