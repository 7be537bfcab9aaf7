import pino from 'pino';
import { Registry } from 'prom-client';
import { createPgPool } from '../src/pg-pool';

// A pg Pool connects lazily: nothing here opens a socket.
const url = 'postgresql://nobody@127.0.0.1:1/none';
const logger = pino({ level: 'silent' });

describe('createPgPool', () => {
  it('installs exactly one idle-error handler and names its connections after the pool', async () => {
    const pool = createPgPool(url, { max: 3, logger, name: 'booking' });

    expect(pool.listenerCount('error')).toBe(1);
    expect(pool.options).toMatchObject({ max: 3, application_name: 'booking', idleTimeoutMillis: 60_000, connectionTimeoutMillis: 10_000, keepAlive: true });
    await pool.end();
  });

  it('lets a caller override a default and pass driver options through', async () => {
    const pool = createPgPool(url, { max: 2, logger, name: 'verify', idleTimeoutMillis: 1_000, options: '-c default_transaction_read_only=on' });

    expect(pool.options).toMatchObject({ idleTimeoutMillis: 1_000, options: '-c default_transaction_read_only=on' });
    await pool.end();
  });

  it('counts several pools of one process under one metric, one series per pool, from zero', async () => {
    const registry = new Registry();
    const pools = [createPgPool(url, { max: 1, logger, name: 'writes', registry }), createPgPool(url, { max: 1, logger, name: 'reads', registry })];

    const opened = await registry.getSingleMetric('pg_connections_opened_total')?.get();
    expect(opened?.values.map((value) => [value.labels['pool'], value.value])).toEqual([
      ['writes', 0],
      ['reads', 0],
    ]);
    await Promise.all(pools.map((pool) => pool.end()));
  });
});
