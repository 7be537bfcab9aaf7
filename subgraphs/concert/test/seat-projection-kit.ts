import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { bookingChannels, createEvent, seatsChangedSchema, type EventPayload, type EventType, type KnownEvent, type SeatsChanged } from '@ticketing/contracts';
import { consumerOptionsOf, createKafkaBus, processMessage, processMessages, type ConsumerOptions, type MessageBus } from '@ticketing/messaging';
import { createLogger, createRedis, type Redis } from '@ticketing/platform';
import { changeSeatStatuses } from '../src/application/change-seat-statuses.command';
import { seatNews } from '../src/application/seat-news';
import { seatProjectionConsumer } from '../src/adapters/messaging/seat-projection.consumer';
import { createRedisSeatChangesPublisher } from '../src/adapters/redis/redis-seat-changes.publisher';
import { createRedisSeatMapCache } from '../src/adapters/redis/seat-map.cache';

export const logger = createLogger('concert-test', 'silent');
export const redisUrl = () => process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const kafkaBrokers = () => (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/** Booking events of one schedule, as the booking subgraph writes them to its outbox. */
export function bookingEventsFor(scheduleId: string) {
  const build = <T extends EventType>(type: T, payload: EventPayload<T>, bookingId: string): KnownEvent =>
    createEvent(type, payload, { eventId: randomUUID(), streamId: bookingId, streamVersion: 1, now: new Date(), correlationId: 'concert-test' }) as KnownEvent;
  const userId = randomUUID();
  return {
    held: (seatIds: string[], seatSequence: number, bookingId = randomUUID()) =>
      build('SeatsHeld', { bookingId, userId, scheduleId, seatIds, amount: 99_000 * seatIds.length, heldUntil: new Date(Date.now() + 300_000).toISOString(), queueTicketId: randomUUID(), seatSequence }, bookingId),
    confirmed: (seatIds: string[], seatSequence: number, bookingId = randomUUID()) =>
      build('BookingConfirmed', { bookingId, userId, scheduleId, seatIds, amount: 99_000 * seatIds.length, paymentId: randomUUID(), currency: 'KRW', heldUntil: null, queueTicketId: randomUUID(), seatSequence }, bookingId),
    cancelled: (seatIds: string[], seatSequence: number, bookingId = randomUUID()) =>
      build('BookingCancelled', { bookingId, userId, scheduleId, seatIds, reason: 'payment failed', seatSequence }, bookingId),
    expired: (seatIds: string[], seatSequence: number, bookingId = randomUUID()) =>
      build('BookingExpired', { bookingId, userId, scheduleId, seatIds, seatSequence }, bookingId),
    paymentRequested: (bookingId = randomUUID()) => build('PaymentRequested', { bookingId, userId, amount: 99_000 }, bookingId),
  };
}

/**
 * Delivers messages to the seat projection exactly as its Kafka consumer does (inbox row,
 * handler and after-commit step through the messaging package's own code), without waiting for
 * a consumer group: the real database, Redis and handler, one message per call. The bus only
 * parks what the consumer refuses.
 */
export function createSeatProjectionDelivery(options: { pool: Pool; redis: Redis; keyPrefix: string; topic?: string }) {
  const bus: MessageBus = createKafkaBus({ brokers: kafkaBrokers(), clientId: 'concert-test', logger });
  const spec = seatProjectionConsumer({
    changeSeatStatuses: changeSeatStatuses({
      news: seatNews({
        cache: createRedisSeatMapCache(options.redis, { ttlSeconds: 30, logger }),
        publisher: createRedisSeatChangesPublisher(options.redis, options.keyPrefix),
      }),
    }),
  });
  const topic = options.topic ?? `test.${randomUUID()}.booking.events`;
  let offset = 0;
  const deliver = (event: KnownEvent | string, overrides: Partial<ConsumerOptions<KnownEvent>> = {}) =>
    processMessage(
      {
        topic,
        partition: 0,
        offset: String(offset++),
        key: typeof event === 'string' ? null : event.stream.id,
        value: typeof event === 'string' ? event : JSON.stringify(event),
        headers: {},
      },
      {
        bus,
        pool: options.pool,
        ...consumerOptionsOf(spec),
        groupId: 'not-a-kafka-group',
        topics: [topic],
        logger,
        // One try: a handler failure (a deadlock, say) must show up as such, not be retried away.
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        ...overrides,
      },
    );
  /** Several messages as one fetched batch of one partition: one transaction, the after-commit steps started together. */
  const deliverTogether = (events: readonly KnownEvent[]) =>
    processMessages(
      events.map((event) => ({ topic, partition: 0, offset: String(offset++), key: event.stream.id, value: JSON.stringify(event), headers: {} })),
      { bus, pool: options.pool, ...consumerOptionsOf(spec), groupId: 'not-a-kafka-group', topics: [topic], logger, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    );
  return { deliver, deliverTogether, spec, topic, bus, close: () => bus.close() };
}

/** Every seats message of a schedule from now on, parsed through the contract. */
export async function listenToSeatChanges(scheduleId: string, keyPrefix: string) {
  const subscriber = createRedis(redisUrl());
  const messages: SeatsChanged[] = [];
  const malformed: string[] = [];
  subscriber.on('message', (_channel: string, raw: string) => {
    const parsed = seatsChangedSchema.safeParse(JSON.parse(raw));
    if (parsed.success) messages.push(parsed.data);
    else malformed.push(raw);
  });
  await subscriber.subscribe(bookingChannels.seats(keyPrefix, scheduleId));
  return { messages, malformed, close: () => subscriber.disconnect() };
}

export { eventually } from '@ticketing/test-support';
