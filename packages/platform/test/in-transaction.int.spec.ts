import pino from 'pino';
import { closeDatabases, testSystem } from '@ticketing/test-support';
import { createPgPool } from '../src/pg-pool';
import { inTransaction } from '../src/postgres';

/*
 * The one transaction helper: a bare BEGIN, or a BEGIN that goes on with the transaction's first
 * statements in the same simple query (their results reach the work), committed or rolled back
 * as one.
 */

const url = () => testSystem().env['USER_DATABASE_URL']!;
const pool = () => createPgPool(url(), { max: 1, logger: pino({ level: 'silent' }), name: 'in-transaction-spec' });

afterAll(closeDatabases);

describe('inTransaction', () => {
  it('given a BEGIN that goes on with a statement, then the work gets its result, inside the same transaction', async () => {
    const db = pool();
    try {
      const answer = await inTransaction(
        db,
        async (client, [, first]) => {
          const { rows } = await client.query<{ same: boolean }>('SELECT txid_current() = $1::bigint AS same', [first!.rows[0].txid]);
          return { n: first!.rows[0].n, same: rows[0]!.same };
        },
        'BEGIN; SELECT 41 + 1 AS n, txid_current() AS txid',
      );

      expect(answer).toEqual({ n: 42, same: true });
    } finally {
      await db.end();
    }
  });

  it('given work that throws, then what the opening statements wrote is rolled back', async () => {
    const db = pool();
    try {
      await db.query('CREATE TEMP TABLE IF NOT EXISTS in_tx_spec (n int)');
      await expect(
        inTransaction(
          db,
          async () => {
            throw new Error('work failed');
          },
          'BEGIN; INSERT INTO in_tx_spec VALUES (1)',
        ),
      ).rejects.toThrow('work failed');

      expect((await db.query('SELECT count(*)::int AS n FROM in_tx_spec')).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.end();
    }
  });

  it('given an opening that is not BEGIN, then it is refused before a statement is sent', async () => {
    const db = pool();
    try {
      await expect(inTransaction(db, async () => 1, 'INSERT INTO x VALUES (1); BEGIN')).rejects.toThrow(/opens with BEGIN/);
      expect(db.totalCount).toBe(0);
    } finally {
      await db.end();
    }
  });
});
