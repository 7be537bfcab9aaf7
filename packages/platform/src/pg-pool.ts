import { DatabaseError, Pool, type PoolClient, type PoolConfig } from 'pg';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from './logger';
import { createStatementNames, nameStatementsOf } from './pg-prepared-statements';

export interface PgPoolOptions extends Omit<PoolConfig, 'connectionString' | 'max' | 'application_name'> {
  /** Connections this process may hold on this database (five subgraphs share one PostgreSQL). */
  max: number;
  logger: Logger;
  /** `application_name`, so pg_stat_activity says who holds a connection, and the metrics' `pool` label. */
  name: string;
  /** Where the pool's counters are registered: a service's metrics registry; scripts pass none. */
  registry?: Registry;
  /** Distinct statement texts the pool prepares (pg-prepared-statements.ts); 0: none. */
  maxPreparedStatements?: number;
}

const DEFAULTS = {
  // Steady traffic never closes and reopens a connection (a backend fork and auth each time); a burst's extras go back within a minute.
  idleTimeoutMillis: 60_000,
  // pg waits forever by default: a caller that gets neither a connection nor a free slot fails instead of hanging.
  connectionTimeoutMillis: 10_000,
  // TCP keepalive notices an idle connection whose peer vanished (NAT, failover); Linux's first probe would wait two hours.
  keepAlive: true,
  keepAliveInitialDelayMillis: 30_000,
} satisfies PoolConfig;

interface PoolCounters {
  opened: Counter<'pool'>;
  closed: Counter<'pool'>;
  idleErrors: Counter<'pool'>;
  queries: Counter<'pool'>;
}

/** One set per registry: a process with two pools on it counts both under one metric name. */
const countersByRegistry = new WeakMap<Registry, PoolCounters>();

function poolCounters(registry: Registry): PoolCounters {
  let counters = countersByRegistry.get(registry);
  if (!counters) {
    counters = {
      opened: new Counter({
        name: 'pg_connections_opened_total',
        help: 'PostgreSQL connections the pool opened; in steady state it should stay flat (no churn)',
        labelNames: ['pool'] as const,
        registers: [registry],
      }),
      closed: new Counter({
        name: 'pg_connections_closed_total',
        help: 'PostgreSQL connections the pool closed and dropped: idle too long, broken (idle or in use), or the pool ending; opened minus closed is the pool size',
        labelNames: ['pool'] as const,
        registers: [registry],
      }),
      idleErrors: new Counter({
        name: 'pg_idle_connection_errors_total',
        help: 'Idle pooled PostgreSQL connections that failed (terminated, dropped) and were discarded',
        labelNames: ['pool'] as const,
        registers: [registry],
      }),
      queries: new Counter({
        name: 'pg_queries_total',
        help: 'Statements sent to PostgreSQL (BEGIN and COMMIT included): one round trip each, as node-postgres sends one at a time per connection',
        labelNames: ['pool'] as const,
        registers: [registry],
      }),
    };
    countersByRegistry.set(registry, counters);
  }
  return counters;
}

/** Calls `counted` for every statement the client sends, whoever sends it (the services' SQL, Prisma, BEGIN and COMMIT). */
function countQueriesOf(client: PoolClient, counted: () => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    counted();
    return query(...args);
  }) as PoolClient['query'];
}

/**
 * The one way to open a pg pool. An idle client whose connection drops (a restart, a failover,
 * pg_terminate_backend) emits 'error' on the pool, and an EventEmitter 'error' nobody listens to
 * crashes the process: here it is logged once and counted. pg-pool has already discarded that
 * client, so the next checkout simply opens a fresh connection. A client in use when its
 * connection drops is heard too (see 'connect').
 */
export function createPgPool(url: string, { logger, name, registry, maxPreparedStatements = 200, ...config }: PgPoolOptions): Pool {
  const pool = new Pool({ ...DEFAULTS, ...config, connectionString: url, application_name: name });
  const statements = maxPreparedStatements > 0 ? createStatementNames({ maxStatements: maxPreparedStatements, logger, pool: name }) : null;
  const counters = registry ? poolCounters(registry) : undefined;
  // Zero-initialised so a scrape shows the series before the first event.
  counters?.opened.inc({ pool: name }, 0);
  counters?.closed.inc({ pool: name }, 0);
  counters?.idleErrors.inc({ pool: name }, 0);
  const queries = counters?.queries.labels({ pool: name });
  queries?.inc(0);
  // A connection that fails while checked out (a transaction open, a consumer between statements)
  // emits 'error' on its client, not on the pool: unheard, that crashed the process when
  // PostgreSQL restarted (bench/faults). Its holder's next statement fails instead, and the release
  // discards it (pg marks a failed client unqueryable). Idle failures are the pool's, below.
  const checkedOut = new WeakSet<object>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('connect', (client) => {
    counters?.opened.inc({ pool: name });
    if (queries) countQueriesOf(client, () => queries.inc());
    if (statements) nameStatementsOf(client, statements);
    client.on('error', (error) => {
      if (checkedOut.has(client)) logger.warn({ err: error, pool: name }, 'PostgreSQL connection failed while in use; its holder gets the error');
    });
  });
  pool.on('remove', () => counters?.closed.inc({ pool: name }));
  pool.on('error', (error) => {
    counters?.idleErrors.inc({ pool: name });
    logger.warn({ err: error, pool: name }, 'idle PostgreSQL connection failed; discarded');
  });
  keepConnectionsOnStatementErrors(pool);
  return pool;
}

/**
 * pg-pool's own `query` gives its client back with the statement's error, and a client released
 * with an error is discarded (pg-pool `_release`: `if (err || …) this._remove(client)`). So every
 * refusal PostgreSQL answers by design, a unique violation (a seat already claimed, an e-mail
 * already taken), closed a connection and the next statement opened one: a backend fork and an
 * authentication each (bench:onsale saw 0.09 connections opened per hold). An error PostgreSQL
 * answered at severity ERROR leaves the connection usable, so its client goes back as it is; any
 * other (FATAL: the backend is gone; no answer: the connection broke) still discards it. The callback form is
 * left as pg-pool has it.
 */
function keepConnectionsOnStatementErrors(pool: Pool): void {
  const original = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    if (args.some((arg) => typeof arg === 'function')) return original(...args);
    return (async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        // ERROR ends the statement; FATAL (a terminated backend, say) ends the session.
        if (!(error instanceof DatabaseError && error.severity === 'ERROR')) broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(broken);
      }
    })();
  }) as Pool['query'];
}
