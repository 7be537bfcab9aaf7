import { randomUUID } from 'node:crypto';
import { createRedis, type Redis } from '@ticketing/platform';
import type { RecordedTicket } from '../src/application/ports';
import { createRedisWaitingRoom, waitingRoomKeys } from '../src/adapters/redis/redis-waiting-room';
import { redisUrl } from './queue-test-kit';

/**
 * The RESTORE step against a real Redis (ADR 0011): it fills in what Redis lost and moves tickets
 * forward only, so running it over a room that lost nothing, twice, or behind a newer Redis state
 * changes nothing, and a number it must give is a new one.
 */

let redis: Redis;
const totals = (highestNumber = 0, admittedTotal = 0) => ({ highestNumber, admittedTotal });
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

function recorded(overrides: Partial<RecordedTicket> = {}): RecordedTicket {
  return { ticketId: randomUUID(), userId: randomUUID(), enteredAt: new Date(Date.now() - 60_000), queueNumber: null, admittedAt: null, expiresAt: null, retiredAt: null, ...overrides };
}

beforeAll(() => {
  redis = createRedis(redisUrl(), `restore-spec:${randomUUID()}:`);
});
afterAll(async () => {
  const keys = await redis.keys('*');
  // KEYS answers with the prefix; DEL would add it again.
  const prefix = String(redis.options.keyPrefix);
  if (keys.length > 0) await redis.del(...keys.map((key) => key.slice(prefix.length)));
  redis.disconnect();
});

const room = () => createRedisWaitingRoom(redis, { defaultAdmitsPerSecond: 10 });

it('given an empty room, when the record is restored twice, then the second time restores and repairs nothing', async () => {
  const scheduleId = randomUUID();
  const tickets = [
    recorded({ queueNumber: 1, admittedAt: new Date(), expiresAt: minutesFromNow(5) }),
    recorded({ queueNumber: 2 }),
    recorded({ queueNumber: 3 }),
  ];
  expect(await room().restore(scheduleId, tickets, totals(3, 1))).toEqual({ restored: 3, repaired: 0, numbered: [] });
  expect(await room().restore(scheduleId, tickets, totals(3, 1))).toEqual({ restored: 0, repaired: 0, numbered: [] });
  expect(await room().counts(scheduleId)).toMatchObject({ waiting: 2, active: 1, admitted: 1 });
  const read = await room().read(scheduleId, tickets[1]!.ticketId);
  expect(read?.ticket).toMatchObject({ status: 'WAITING', queueNumber: 2, userId: tickets[1]!.userId });
  expect(read?.line.nowServing).toBe(1);
});

it('given an open line, when a recorded ticket has no number (its draw lost in both copies), then it takes the next number after the highest ever recorded', async () => {
  const scheduleId = randomUUID();
  await redis.set(waitingRoomKeys(scheduleId).opened, Date.now());
  const unnumbered = recorded();
  const result = await room().restore(scheduleId, [recorded({ queueNumber: 1 }), unnumbered], totals(7));
  expect(result.numbered).toEqual([{ ticketId: unnumbered.ticketId, queueNumber: 8 }]);
  expect(await redis.get(waitingRoomKeys(scheduleId).seq)).toBe('8');
});

it('given Redis ahead of the record (admitted, but its FanAdmitted not written yet), when restored, then the ticket stays ACTIVE', async () => {
  const scheduleId = randomUUID();
  const fan = randomUUID();
  await room().applyPolicy({ scheduleId, admitsPerSecond: 1_000, maxActive: 10, paused: false, updatedAt: new Date() });
  const entered = await room().enter({ scheduleId, userId: fan, newTicketId: randomUUID(), opensAt: new Date(Date.now() - 60_000) });
  if (entered.kind !== 'Entered') throw new Error('not entered');
  await room().markPricesFrozen(scheduleId);
  const settings = { defaults: { admitsPerSecond: 1_000, maxActive: 10, paused: false }, activeTtlSeconds: 600 };
  // The first step starts the token bucket; the next one, a moment later, has tokens to admit with.
  await room().admit(scheduleId, settings);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const tick = await room().admit(scheduleId, settings);
  expect(tick.admitted).toHaveLength(1);

  const stale = recorded({ ticketId: entered.ticket.ticketId, userId: fan, queueNumber: 1 });
  expect(await room().restore(scheduleId, [stale], totals(1))).toEqual({ restored: 0, repaired: 0, numbered: [] });
  expect((await room().read(scheduleId, stale.ticketId))?.ticket.status).toBe('ACTIVE');

  // The record moves on (the booking was confirmed, TicketRetired written): the restore follows it.
  const retired = { ...stale, admittedAt: new Date(), expiresAt: minutesFromNow(10), retiredAt: new Date() };
  expect(await room().restore(scheduleId, [retired], totals(1, 1))).toMatchObject({ restored: 0, repaired: 1 });
  expect((await room().read(scheduleId, stale.ticketId))?.ticket.status).toBe('EXPIRED');
  expect(await room().counts(scheduleId)).toMatchObject({ active: 0 });
});

it('given the fan → ticket index lost, when restored, then entering again returns the restored ticket, not a new one', async () => {
  const scheduleId = randomUUID();
  const ticket = recorded({ queueNumber: 4 });
  await room().restore(scheduleId, [ticket], totals(4));
  const again = await room().enter({ scheduleId, userId: ticket.userId, newTicketId: randomUUID(), opensAt: new Date(Date.now() - 60_000) });
  expect(again).toMatchObject({ kind: 'Entered', created: false, ticket: { ticketId: ticket.ticketId, queueNumber: 4 } });
});
