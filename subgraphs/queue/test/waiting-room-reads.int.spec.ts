import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@ticketing/platform';
import { redisCommandCounter, type RedisCommandCounter } from '@ticketing/test-support';
import type { RecordedTicket } from '../src/application/ports';
import { createRedisWaitingRoom } from '../src/adapters/redis/redis-waiting-room';
import { redisUrl } from './queue-test-kit';

/**
 * What reading a ticket costs Redis, counted by MONITOR (issue 10): booking's admission check
 * runs `readTicket` on every hold, a fan's screen runs `read` (the ticket with its line).
 * Both answer the same ticket; an unknown one is null.
 */

let redis: Redis;
let counter: RedisCommandCounter;
const room = () => createRedisWaitingRoom(redis, { defaultAdmitsPerSecond: 10 });
const prefix = `reads-spec:${randomUUID()}:`;

beforeAll(async () => {
  redis = createRedis(redisUrl(), prefix);
  counter = await redisCommandCounter(redis, { url: redisUrl(), keyPrefix: prefix });
  // Each script once before counting: a Redis that has not seen it answers the first EVALSHA NOSCRIPT, and ioredis sends EVAL.
  await room().readTicket(randomUUID(), randomUUID());
  await room().read(randomUUID(), randomUUID());
});
afterAll(async () => {
  counter.close();
  const keys = await redis.keys('*');
  if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  redis.disconnect();
});

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

async function activeTicket(scheduleId: string): Promise<RecordedTicket> {
  const ticket: RecordedTicket = {
    ticketId: randomUUID(),
    userId: randomUUID(),
    enteredAt: new Date(Date.now() - 60_000),
    queueNumber: 1,
    admittedAt: new Date(),
    expiresAt: new Date(Date.now() + 5 * 60_000),
    retiredAt: null,
  };
  await room().restore(scheduleId, [ticket], { highestNumber: 1, admittedTotal: 1 });
  return ticket;
}

it('given an ACTIVE ticket, when booking reads it for the admission check, then one script reads only the ticket hash, and it matches the full read', async () => {
  const scheduleId = randomUUID();
  const stored = await activeTicket(scheduleId);

  const { result, counts } = await counter.count(() => room().readTicket(scheduleId, stored.ticketId));

  expect(result?.ticket).toMatchObject({ ticketId: stored.ticketId, userId: stored.userId, scheduleId, status: 'ACTIVE', expiresAt: stored.expiresAt });
  // The script, the clock it judges expiry by, and its HMGET.
  expect(counts).toEqual({ evalsha: 1, 'lua time': 1, 'lua hmget': 1 });
  const full = await room().read(scheduleId, stored.ticketId);
  expect(full?.ticket).toEqual(result?.ticket);
});

it('given an ACTIVE ticket, when a fan reads it with its line, then the line costs one read per key (the schedule meta read once)', async () => {
  const scheduleId = randomUUID();
  const stored = await activeTicket(scheduleId);

  const { result, counts } = await counter.count(() => room().read(scheduleId, stored.ticketId));

  expect(result?.line).toMatchObject({ nowServing: 1, paused: false });
  expect(counts).toEqual({ evalsha: 1, 'lua time': 1, 'lua hmget': 3, 'lua get': 2, 'lua exists': 1 });
  expect(total(counts)).toBe(8);
});

it('given no such ticket, when either read runs, then both answer null after reading the ticket hash alone', async () => {
  const scheduleId = randomUUID();
  const unknown = randomUUID();

  const ticketOnly = await counter.count(() => room().readTicket(scheduleId, unknown));
  const withLine = await counter.count(() => room().read(scheduleId, unknown));

  expect([ticketOnly.result, withLine.result]).toEqual([null, null]);
  expect([ticketOnly.counts, withLine.counts]).toEqual([
    { evalsha: 1, 'lua time': 1, 'lua hmget': 1 },
    { evalsha: 1, 'lua time': 1, 'lua hmget': 1 },
  ]);
});
