import { randomUUID } from 'node:crypto';
import type { IncomingMessage, MessageBus, Subscription } from '../src/kafka-bus';
import { createBus, eventually, uniqueTopic } from './support';

// A consumer's gather pause (ConsumeOptions.gatherMs), against a real broker: what arrives during
// the pause after a fetch comes in the next fetch, and is handed over in one call, whatever its
// partitions. Counted in calls, never timed.
describe('a consumer that gathers between fetches', () => {
  let bus: MessageBus;
  let topic: string;
  const subscriptions: Subscription[] = [];

  /** Every call the consumer made, as the values it was handed, in order. */
  const consumeRecording = async (groupId: string, gatherMs?: number) => {
    const calls: string[][] = [];
    const partitionOf = new Map<string, number>();
    const record = (messages: IncomingMessage[]) => {
      for (const message of messages) partitionOf.set(message.value ?? '', message.partition);
      calls.push(messages.map((message) => message.value ?? ''));
    };
    const subscription = await bus.consume({
      groupId,
      topics: [topic],
      ...(gatherMs !== undefined && { gatherMs }),
      handle: async (message) => record([message]),
      handleMany: async (messages) => record(messages),
    });
    subscriptions.push(subscription);
    return { calls, partitionOf, subscription, seen: () => calls.flat() };
  };
  // One key, so one partition and one order.
  const publishOneByOne = async (values: string[]) => {
    for (const value of values) await bus.publish(topic, [{ key: 'booking-1', value }]);
  };

  beforeEach(async () => {
    bus = createBus('gather');
    topic = uniqueTopic();
    await bus.ensureTopics([topic], 3);
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    await bus.close();
  });

  it('given events sent one by one during the pause, then they are handed over in one call after it', async () => {
    // Ten sends well inside the pause, even on a busy box.
    const consumer = await consumeRecording(`test-group-${randomUUID()}`, 10_000);
    await publishOneByOne(['first']);
    await eventually(async () => consumer.seen().includes('first'), 30_000, 'the first event');

    const later = Array.from({ length: 10 }, (_, i) => `later-${i}`);
    await publishOneByOne(later);
    await eventually(async () => consumer.seen().length === 11, 30_000, 'the later events');

    expect(consumer.calls).toEqual([['first'], later]);
  });

  it('given events on every partition in one fetch, then they are handed over in one call, each partition in order', async () => {
    const consumer = await consumeRecording(`test-group-${randomUUID()}`, 3_000);
    await publishOneByOne(['first']);
    await eventually(async () => consumer.seen().includes('first'), 30_000, 'the first event');

    // Ten keys: all three partitions get some (one key is one partition). One send, inside the
    // pause, so the next fetch finds every partition's share.
    const later = Array.from({ length: 30 }, (_, i) => ({ key: `booking-${i % 10}`, value: `later-${i}` }));
    await bus.publish(topic, later);
    await eventually(async () => consumer.seen().length === 31, 30_000, 'the later events');

    expect(consumer.calls).toHaveLength(2);
    const joined = consumer.calls[1]!;
    expect([...joined].sort()).toEqual(later.map(({ value }) => value).sort());
    expect(new Set(joined.map((value) => consumer.partitionOf.get(value))).size).toBe(3);
    for (let key = 0; key < 10; key++) {
      const sent = later.filter((message) => message.key === `booking-${key}`).map(({ value }) => value);
      expect(joined.filter((value) => sent.includes(value))).toEqual(sent);
    }
  });

  it('given a pause far longer than the test, then the first event after a quiet spell is handled at once, a stop ends the pause, and what waited is handled by the next owner', async () => {
    const groupId = `test-group-${randomUUID()}`;
    const gathering = await consumeRecording(groupId, 10 * 60_000);
    await publishOneByOne(['first']);
    // Handled within the wait, so not held back by the ten-minute pause.
    await eventually(async () => gathering.seen().includes('first'), 30_000, 'the first event');
    await publishOneByOne(['waiting']);

    // Within jest's timeout, so the pause did not hold the stop for its ten minutes.
    await gathering.subscription.stop();
    subscriptions.splice(subscriptions.indexOf(gathering.subscription), 1);
    expect(gathering.seen()).toEqual(['first']);

    const next = await consumeRecording(groupId);
    await eventually(async () => next.seen().includes('waiting'), 30_000, 'the event that waited');
    expect(next.seen()).toEqual(['waiting']);
  });
});
