import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Logger } from '@ticketing/platform';
import type { IncomingMessage, Subscription } from './kafka-bus';
import { groupJoined } from './group-join';
import { kafkaLogCreator } from './kafka-log';
import { withProcessSpans } from './message-tracing';
import './kafkajs-idle-loop-fix';

export interface BatchConsumerOptions {
  brokers: readonly string[];
  clientId: string;
  groupId: string;
  topics: readonly string[];
  logger: Logger;
  /** Where a group with no committed offset starts. Default true: an archive must not miss history. */
  fromBeginning?: boolean;
  /**
   * Handles one fetched batch of one partition, in offset order. Resolves when every message of
   * it is done; only then is the batch's offset committed. Throwing means "redeliver the batch".
   */
  handleBatch: (messages: readonly IncomingMessage[]) => Promise<void>;
  /** Partitions handled at the same time (each in order). Default 3, a topic's partitions. */
  partitionsConsumedConcurrently?: number;
  joinTimeoutMs?: number;
}

/**
 * A consumer that hands over whole Kafka batches instead of one message at a time, for sinks
 * whose cost is per write rather than per message (the event store's insertMany). At-least-once
 * like `MessageBus.consume`: the handler must be idempotent (the store's unique eventId is).
 * kafkajs stays inside this file as it does inside kafka-bus.ts.
 */
export async function consumeBatches(options: BatchConsumerOptions): Promise<Subscription> {
  const { groupId, logger, joinTimeoutMs = 30_000 } = options;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
  const consumer: Consumer = kafka.consumer({ groupId });
  let failure: Error | undefined;
  const joined = groupJoined(consumer, groupId, joinTimeoutMs);
  consumer.on(consumer.events.CRASH, (event) => {
    logger.error({ err: event.payload.error, groupId, restart: event.payload.restart }, 'kafka batch consumer crashed');
    if (!event.payload.restart) failure = event.payload.error;
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, isRunning, isStale, heartbeat }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        const { topic, partition } = batch;
        const messages = batch.messages.map(
          (message): IncomingMessage => ({
            topic,
            partition,
            offset: message.offset,
            key: message.key ? message.key.toString('utf8') : null,
            value: message.value ? message.value.toString('utf8') : null,
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).flatMap(([name, raw]) => {
                const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
                return value === undefined ? [] : [[name, Buffer.isBuffer(value) ? value.toString('utf8') : String(value)]];
              }),
            ),
          }),
        );
        await withProcessSpans(messages, groupId, () => options.handleBatch(messages));
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
        await heartbeat();
      },
    });
    await joined;
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }
  return {
    stop: () => consumer.disconnect(),
    failure: () => failure,
  };
}
