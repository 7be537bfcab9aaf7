import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Registry } from 'prom-client';
import { closeDatabases, eventually, sql, testSystem } from '@ticketing/test-support';
import { createPgPool } from '../src/pg-pool';

/*
 * A pooled connection that PostgreSQL drops while it sits idle (a restart, a failover, an admin's
 * pg_terminate_backend): simulated with pg_terminate_backend on the pool's own backends, found
 * in pg_stat_activity by the application_name the factory sets.
 */

const url = () => testSystem().env['USER_DATABASE_URL']!;
const uniqueName = () => `pg-pool-spec-${randomBytes(4).toString('hex')}`;

/** Terminates every backend with that application_name; how many it terminated. */
async function terminateBackendsOf(name: string): Promise<number> {
  const rows = await sql<{ terminated: boolean }>('user', 'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1', [name]);
  return rows.filter((row) => row.terminated).length;
}

async function counted(registry: Registry, metric: string, pool: string): Promise<number> {
  const values = (await registry.getSingleMetric(metric)?.get())?.values ?? [];
  return values.find((value) => value.labels['pool'] === pool)?.value ?? 0;
}

afterAll(closeDatabases);

describe('a pool from createPgPool whose idle connection is terminated', () => {
  it('logs one warning, counts it, and answers the next query on a fresh connection', async () => {
    const name = uniqueName();
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const registry = new Registry();
    const pool = createPgPool(url(), { max: 2, logger, name, registry });
    try {
      // Given one connection, opened and back in the pool, idle
      await pool.query('SELECT 1');
      expect(pool.idleCount).toBe(1);
      expect(await counted(registry, 'pg_connections_opened_total', name)).toBe(1);

      // When PostgreSQL terminates it
      expect(await terminateBackendsOf(name)).toBe(1);

      // Then the pool's one 'error' listener (the factory's) logs it once and the client is discarded
      const warning = await eventually(async () => lines.find((line) => line['msg'] === 'idle PostgreSQL connection failed; discarded'), 10_000, 'the warning');
      expect(warning).toMatchObject({ level: 40, pool: name, err: { code: '57P01' } });
      expect(pool.listenerCount('error')).toBe(1);
      expect(pool.totalCount).toBe(0);
      expect(await counted(registry, 'pg_idle_connection_errors_total', name)).toBe(1);
      await eventually(async () => (await counted(registry, 'pg_connections_closed_total', name)) === 1, 10_000, 'the discarded connection counted closed');

      // And the next query succeeds on a connection the pool opens again
      expect((await pool.query<{ answer: number }>('SELECT 42 AS answer')).rows).toEqual([{ answer: 42 }]);
      expect(await counted(registry, 'pg_connections_opened_total', name)).toBe(2);
      expect(lines).toHaveLength(1);
    } finally {
      await pool.end();
    }
  });

  it("counts every statement it sends, a transaction's BEGIN and COMMIT included, one round trip each", async () => {
    const name = uniqueName();
    const registry = new Registry();
    const pool = createPgPool(url(), { max: 2, logger: pino({ level: 'silent' }), name, registry });
    try {
      expect(await counted(registry, 'pg_queries_total', name)).toBe(0);
      await pool.query('SELECT 1');
      await pool.query('SELECT $1::int AS v', [2]);
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query({ text: 'SELECT $1::int AS v', values: [3] });
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await counted(registry, 'pg_queries_total', name)).toBe(5);
    } finally {
      await pool.end();
    }
  });

  it('given statements that PostgreSQL refuses (a unique violation, a syntax error), then pool.query rejects each and keeps its connection: none opened', async () => {
    const name = uniqueName();
    const registry = new Registry();
    const pool = createPgPool(url(), { max: 2, logger: pino({ level: 'silent' }), name, registry });
    try {
      const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await pool.query('CREATE TEMP TABLE taken (id int PRIMARY KEY)');
      await pool.query('INSERT INTO taken VALUES ($1)', [1]);
      for (let i = 0; i < 20; i++) {
        await expect(pool.query('INSERT INTO taken VALUES ($1)', [1])).rejects.toMatchObject({ code: '23505' });
        await expect(pool.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
      }
      expect(await counted(registry, 'pg_connections_opened_total', name)).toBe(1);
      // The same backend all along (its temporary table is still there), and healthy.
      expect((await pool.query<{ pid: number; n: string }>('SELECT pg_backend_pid() AS pid, count(*)::text AS n FROM taken')).rows[0]).toEqual({ pid: backend, n: '1' });
    } finally {
      await pool.end();
    }
  });

  it('given its connection terminated under a statement, then pool.query rejects, the connection counts closed, and the next one gets a fresh connection', async () => {
    const name = uniqueName();
    const registry = new Registry();
    const pool = createPgPool(url(), { max: 1, logger: pino({ level: 'silent' }), name, registry });
    try {
      const sleeping = pool.query('SELECT pg_sleep(30)').then(
        () => 'answered',
        (error: Error) => error.message,
      );
      await eventually(async () => (await terminateBackendsOf(name)) === 1, 10_000, 'the sleeping backend');
      expect(await sleeping).toMatch(/terminat/i);
      // Not an idle error (it was in use), yet discarded all the same: what the service-level spec counts on.
      await eventually(async () => (await counted(registry, 'pg_connections_closed_total', name)) === 1, 10_000, 'the broken connection counted closed');
      expect(await counted(registry, 'pg_idle_connection_errors_total', name)).toBe(0);
      expect((await pool.query<{ v: number }>('SELECT 1 AS v')).rows).toEqual([{ v: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('given a connection checked out with a transaction open, when PostgreSQL terminates it, then the process lives: the holder gets the error and the pool carries on', async () => {
    const name = uniqueName();
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const pool = createPgPool(url(), { max: 2, logger, name });
    try {
      const client = await pool.connect();
      await client.query('BEGIN');
      expect(await terminateBackendsOf(name)).toBe(1);
      // Unheard, this 'error' on the client would have been an uncaught exception (bench/faults, PostgreSQL restart).
      await eventually(async () => lines.find((line) => line['msg'] === 'PostgreSQL connection failed while in use; its holder gets the error'), 10_000, 'the warning');
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      expect((await pool.query<{ answer: number }>('SELECT 7 AS answer')).rows).toEqual([{ answer: 7 }]);
    } finally {
      await pool.end();
    }
  });

  it('is what keeps the process alive: a raw pg Pool without the handler crashes on the same termination', async () => {
    const name = uniqueName();
    // The same pool and driver, minus the factory: the process a service would be without it.
    const script = `
      const { Pool } = require(process.env.PG_MODULE);
      const pool = new Pool({ connectionString: process.env.DATABASE_URL, application_name: process.env.APP_NAME, max: 1 });
      pool.query('SELECT 1').then(() => console.log('idle'));`;
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, PG_MODULE: require.resolve('pg'), DATABASE_URL: url(), APP_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await eventually(async () => stdout.includes('idle'), 20_000, 'the child to hold an idle connection');

      expect(await terminateBackendsOf(name)).toBe(1);

      // Unhandled, the pool's 'error' is thrown from the socket's callback: the process dies with it.
      expect(await exited).toBe(1);
      expect(stderr).toContain("Unhandled 'error' event");
      expect(stderr).toContain('terminating connection due to administrator command');
    } finally {
      child.kill();
    }
  });
});
