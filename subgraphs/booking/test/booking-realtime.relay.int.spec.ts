import { randomUUID } from 'node:crypto';
import { bookingChannels, createEnvelope } from '@ticketing/contracts';
import { createRedis, type Redis } from '@ticketing/platform';
import { publishBookingChange } from '../src/adapters/redis/booking-realtime.relay';

/*
 * The relay from booking events to the gateway's bookingUpdated channel, against a real Redis:
 * what a subscriber of one booking hears, in order, and what is never sent.
 */

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:${randomUUID()}:`;
let redis: Redis;
let listener: Redis;

beforeAll(() => {
  redis = createRedis(url, keyPrefix);
  // Subscriptions are not prefixed by ioredis: the channel names carry the prefix themselves.
  listener = createRedis(url);
});
afterAll(() => {
  redis.disconnect();
  listener.disconnect();
});

const event = (bookingId: string, type: string, streamVersion: number) =>
  createEnvelope({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    stream: { type: 'booking', id: bookingId },
    streamVersion,
    now: new Date('2026-12-05T07:00:00Z'),
    correlationId: bookingId,
    payload: {},
  });

it("publishes each status change after a booking's first event, and not the first: no one can be listening before its id is known", async () => {
  const publish = publishBookingChange(redis, keyPrefix);
  const bookingId = randomUUID();
  const heard: Array<{ status: string; version: number }> = [];
  await listener.subscribe(bookingChannels.booking(keyPrefix, bookingId));
  listener.on('message', (_channel, raw: string) => heard.push(JSON.parse(raw) as { status: string; version: number }));

  // Given the hold (version 0), then the payment requested and the confirmation
  await publish(event(bookingId, 'SeatsHeld', 0));
  await publish(event(bookingId, 'PaymentRequested', 1));
  await publish(event(bookingId, 'BookingConfirmed', 2));
  // And an admin's comp, which creates its booking confirmed at version 0
  await publish(event(bookingId, 'SeatsComped', 0));
  // A sentinel on the same channel, sent last, shows everything before it has arrived.
  await redis.publish(bookingChannels.booking(keyPrefix, bookingId), JSON.stringify({ status: 'SENTINEL', version: -1 }));
  await new Promise((resolve) => {
    const wait = () => (heard.some((message) => message.status === 'SENTINEL') ? resolve(undefined) : setTimeout(wait, 10));
    wait();
  });

  // Then the subscriber heard versions 1 and 2 only, in order
  expect(heard.map(({ status, version }) => [status, version])).toEqual([
    ['PAYMENT_PENDING', 1],
    ['CONFIRMED', 2],
    ['SENTINEL', -1],
  ]);
});
