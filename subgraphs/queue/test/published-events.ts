import { randomUUID } from 'node:crypto';
import { parseEvent, topicFor, type AggregateType, type KnownEvent } from '@ticketing/contracts';
import { createKafkaBus, type Subscription } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { testSystem } from '@ticketing/test-support';

/**
 * Everything published on this run's topics of some aggregate types, from their beginning, as
 * a downstream consumer (the history archiver) reads it: parsed through the contracts, with what
 * failed to parse kept apart.
 */
export async function readPublishedEvents(types: readonly AggregateType[]) {
  const prefix = testSystem().env['KAFKA_TOPIC_PREFIX'] ?? '';
  const bus = createKafkaBus({ brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'events-reader', logger: createLogger('events-reader', 'silent') });
  const topics = types.map((type) => topicFor(type, prefix));
  await bus.ensureTopics(topics);
  const events: KnownEvent[] = [];
  const unreadable: string[] = [];
  const groupId = `${prefix}test-reader-${randomUUID()}`;
  const subscription: Subscription = await bus.consume({
    groupId,
    topics,
    fromBeginning: true,
    handle: async (message) => {
      const parsed = parseEvent(message.value ?? '');
      if (parsed.ok) events.push(parsed.value);
      else unreadable.push(parsed.reason);
    },
  });
  return {
    events,
    unreadable,
    async close() {
      await subscription.stop();
      await bus.deleteGroup(groupId).catch(() => undefined);
      await bus.close();
    },
  };
}
