import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

export const concertConfigSchema = baseConfigSchema.extend({
  CONCERT_PORT: ports.concert,
  CONCERT_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_concert'),
  /**
   * How long a cached seat map's seats live before a rebuild. Status changes update the cached
   * statuses in place; the rebuild each TTL compares them with PostgreSQL, so it bounds how stale
   * a status can get if a change's after-commit step is ever lost.
   */
  SEAT_MAP_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(30),
});

export type ConcertConfig = z.infer<typeof concertConfigSchema>;
export const loadConcertConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(concertConfigSchema, env);
