import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { closeDatabases, testSystem } from '@ticketing/test-support';
import { createPgPool } from '../src/pg-pool';

/*
 * A pool from createPgPool prepares each parameterized text once per connection: counted in
 * PostgreSQL's own pg_prepared_statements of that connection (issue 10), not timed.
 */

const url = () => testSystem().env['USER_DATABASE_URL']!;
const uniqueName = () => `prep-spec-${randomBytes(4).toString('hex')}`;

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger };
}

const PREPARED = 'SELECT name, statement FROM pg_prepared_statements ORDER BY name';

afterAll(closeDatabases);

describe('a pool from createPgPool', () => {
  it('given one text run many times with values, prepares it once on its connection and answers every call', async () => {
    const { logger } = capture();
    const name = uniqueName();
    const pool = createPgPool(url(), { max: 1, logger, name });
    try {
      const answers: number[] = [];
      for (let i = 0; i < 20; i++) answers.push((await pool.query<{ n: number }>('SELECT $1::int + 1 AS n', [i])).rows[0]!.n);
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

      expect((await pool.query(PREPARED)).rows).toEqual([{ name: `${name}:0`, statement: 'SELECT $1::int + 1 AS n' }]);
    } finally {
      await pool.end();
    }
  });

  it('leaves texts without values, config objects and callbacks as they were: unnamed, and still answered', async () => {
    const { logger } = capture();
    const pool = createPgPool(url(), { max: 1, logger, name: uniqueName() });
    try {
      const client = await pool.connect();
      try {
        // Two statements in one text: only the simple protocol takes it, which a name would have broken.
        await client.query('SELECT 1; SELECT 2');
        expect((await client.query({ text: 'SELECT $1::text AS v', values: ['config'] })).rows).toEqual([{ v: 'config' }]);
        const viaCallback = await new Promise((resolve, reject) =>
          client.query('SELECT $1::text AS v', ['callback'], (error, result) => (error ? reject(error) : resolve(result.rows))),
        );
        expect(viaCallback).toEqual([{ v: 'callback' }]);
        // The callback form is named like the promise form; the config object is not.
        expect((await client.query(PREPARED)).rows.map((row: { statement: string }) => row.statement)).toEqual(['SELECT $1::text AS v']);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('given a statement that fails (a constraint), keeps the prepared statement and runs it again on the same connection', async () => {
    const { logger } = capture();
    const pool = createPgPool(url(), { max: 1, logger, name: uniqueName() });
    try {
      const client = await pool.connect();
      try {
        await client.query('CREATE TEMP TABLE one_per_key (k int PRIMARY KEY)');
        const insert = 'INSERT INTO one_per_key (k) VALUES ($1)';
        await client.query(insert, [1]);
        await expect(client.query(insert, [1])).rejects.toMatchObject({ code: '23505' });
        await client.query(insert, [2]);
        // A text PostgreSQL refuses to parse is not remembered as prepared: the next call parses again and fails the same way.
        await expect(client.query('SELECT nope FROM one_per_key WHERE k = $1', [1])).rejects.toMatchObject({ code: '42703' });
        await expect(client.query('SELECT nope FROM one_per_key WHERE k = $1', [1])).rejects.toMatchObject({ code: '42703' });
        expect((await client.query('SELECT k FROM one_per_key WHERE k > $1 ORDER BY k', [0])).rows).toEqual([{ k: 1 }, { k: 2 }]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('given more distinct texts than its limit, names only the first ones, warns once, and runs the rest unnamed', async () => {
    const { lines, logger } = capture();
    const name = uniqueName();
    const pool = createPgPool(url(), { max: 1, logger, name, maxPreparedStatements: 3 });
    try {
      for (let i = 0; i < 6; i++) expect((await pool.query<{ v: number }>(`SELECT $1::int AS v, ${i} AS i`, [i])).rows[0]!.v).toBe(i);

      expect((await pool.query(PREPARED)).rowCount).toBe(3);
      expect(lines.filter((line) => String(line['msg']).startsWith('pool names no more statements'))).toHaveLength(1);
    } finally {
      await pool.end();
    }
  });

  it('with maxPreparedStatements 0, prepares nothing', async () => {
    const { logger } = capture();
    const pool = createPgPool(url(), { max: 1, logger, name: uniqueName(), maxPreparedStatements: 0 });
    try {
      await pool.query('SELECT $1::int AS v', [1]);
      expect((await pool.query(PREPARED)).rowCount).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
