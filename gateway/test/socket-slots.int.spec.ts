import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@ticketing/platform';
import { socketSlots } from '../src/rate-limits-sockets';

/**
 * Socket limits across gateways, on a real Redis: two gateways share a user's and an address's
 * limits; a live gateway's sockets keep counting however long they stay open (it renews one lease
 * for all of them), and a dead gateway's stop counting once its lease lapses. Leases of 600 ms
 * here instead of a minute.
 */

const LEASE_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let redis: Redis;
const gateways: Array<ReturnType<typeof socketSlots>> = [];
const gateway = () => {
  const slots = socketSlots(redis, { perUser: 2, perIp: 3 }, { leaseMs: LEASE_MS });
  gateways.push(slots);
  return slots;
};

beforeAll(() => {
  redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', `socket-slots-spec:${randomUUID()}:`);
});
afterAll(() => {
  for (const slots of gateways) slots.close();
  redis.disconnect();
});

it('given a user at their limit on one gateway, another gateway refuses them until a socket closes', async () => {
  const [a, b] = [gateway(), gateway()];
  const user = { userId: randomUUID(), ip: `10.0.0.${Math.floor(Math.random() * 250)}` };
  const first = await a.take(user);
  expect(first.ok).toBe(true);
  expect((await b.take(user)).ok).toBe(true);
  expect(await b.take(user)).toEqual({ ok: false, scope: 'user' });
  if (first.ok) await first.release();
  expect((await b.take(user)).ok).toBe(true);
});

it('given an address at its limit, a fourth socket from it is refused whoever signs in', async () => {
  const a = gateway();
  const ip = `10.1.0.${Math.floor(Math.random() * 250)}`;
  for (let i = 0; i < 3; i++) expect((await a.take({ userId: randomUUID(), ip })).ok).toBe(true);
  expect(await a.take({ userId: randomUUID(), ip })).toEqual({ ok: false, scope: 'ip' });
});

it('given a live gateway holding a user’s sockets past several leases, they still count', async () => {
  const [a, b] = [gateway(), gateway()];
  const user = { userId: randomUUID(), ip: `10.2.0.${Math.floor(Math.random() * 250)}` };
  expect((await a.take(user)).ok).toBe(true);
  expect((await a.take(user)).ok).toBe(true);
  await sleep(LEASE_MS * 3);
  expect(await b.take(user)).toEqual({ ok: false, scope: 'user' });
});

it('given a gateway that dies holding a user’s sockets, another admits the user once its lease lapses, not before', async () => {
  const [dying, b] = [gateway(), gateway()];
  const user = { userId: randomUUID(), ip: `10.3.0.${Math.floor(Math.random() * 250)}` };
  expect((await dying.take(user)).ok).toBe(true);
  expect((await dying.take(user)).ok).toBe(true);
  dying.close(); // stops renewing, as a crash would; its sockets are never released
  expect(await b.take(user)).toEqual({ ok: false, scope: 'user' });
  await sleep(LEASE_MS + 200);
  expect((await b.take(user)).ok).toBe(true);
  expect((await b.take(user)).ok).toBe(true);
  expect(await b.take(user)).toEqual({ ok: false, scope: 'user' });
});
