import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { createEnvelope, type EventEnvelope } from '@ticketing/contracts';
import { createLogger } from '@ticketing/platform';
import { createScratchPool } from '@ticketing/test-support';
import { appendToOutbox } from '../src/append-to-outbox';
import { createDeadLetters } from '../src/dead-letters';
import { createKafkaBus, type IncomingMessage, type MessageBus } from '../src/kafka-bus';

export const logger = createLogger('messaging-test', process.env['TEST_LOG_LEVEL'] ?? 'warn');
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/** A topic nobody else uses, shaped like a real one so dead-letter naming applies. */
export const uniqueTopic = () => `test.${randomUUID()}.booking.events`;

export const createBus = (name: string): MessageBus => createKafkaBus({ brokers, clientId: `messaging-test-${name}`, logger });

/** A migrated, empty booking database of its own, plus a pool on it. */
export const scratchBooking = () => createScratchPool('booking', 10);

export function bookingEvent(bookingId: string, streamVersion: number, type = 'TestHappened'): EventEnvelope {
  return createEnvelope({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    stream: { type: 'booking', id: bookingId },
    streamVersion,
    now: new Date(),
    correlationId: 'test',
    payload: { n: streamVersion },
  });
}

/** What a service's repository does inside its own transaction, through the one outbox writer. */
export async function writeOutbox(pool: Pool, event: EventEnvelope): Promise<void> {
  const client = await pool.connect();
  try {
    await appendToOutbox(client, [event]);
  } finally {
    client.release();
  }
}

/** Every message on a topic up to now, read with a throwaway group (the dead-letter reader works for any topic). */
export async function readTopic(bus: MessageBus, topic: string): Promise<IncomingMessage[]> {
  return createDeadLetters({ bus, logger }).list(topic, 100_000);
}

export { eventually } from '@ticketing/test-support';
