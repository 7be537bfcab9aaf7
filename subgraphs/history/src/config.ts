import { z } from 'zod';
import { eventStoreUrlSchema } from '@ticketing/event-store';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

export const historyConfigSchema = baseConfigSchema.extend({
  HISTORY_PORT: ports.history,
  EVENT_STORE_URL: eventStoreUrlSchema,
  /** Events a projection reads and applies per round. */
  PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * How often a caught-up projection (or one waiting for its lease) looks again. This process's
   * own archiver wakes its projections at once; the poll finds what other instances archived.
   */
  PROJECTION_POLL_MS: z.coerce.number().int().min(10).default(2_000),
  /**
   * The least time between the starts of two rounds of a caught-up projection woken by its
   * archiver: events gather into fuller pages instead of one page per archived batch (each round
   * costs the store the same few reads and writes however little it carries).
   */
  PROJECTION_MIN_ROUND_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /**
   * How long the archiver waits after a fetch before the next, to gather more events (0: fetch
   * again at once). Adds at most this much to the archive lag (the first event after a quiet
   * spell none); fewer, fuller appends cost the store less per event.
   */
  ARCHIVER_GATHER_MS: z.coerce.number().int().min(0).max(5_000).default(100),
  /** How long a projection waits for a missing position before skipping it (ADR 0007). */
  PROJECTION_MAX_GAP_WAIT_MS: z.coerce.number().int().min(0).default(2_000),
  /**
   * Which read models this instance keeps up to date: `all`, `none`, or names separated by
   * commas. Lets archiving and projecting scale apart (and a bench measure the archiver alone).
   */
  PROJECTIONS: z
    .string()
    .default('all')
    .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean)),
  /**
   * Events this process keeps in memory after appending (or reading ahead) them, so its own live
   * projections read their pages from memory instead of querying \`events\` (on FerretDB every such
   * query scans and sorts the whole collection). 0 turns it off: every page is a query.
   */
  EVENT_STORE_RECENT_EVENTS: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** Lifetime of a projection's lease: how soon another instance takes over from a crashed one. */
  PROJECTION_LEASE_TTL_MS: z.coerce.number().int().min(1_000).default(10_000),
});

export type HistoryConfig = z.infer<typeof historyConfigSchema>;
export const loadHistoryConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(historyConfigSchema, env);
