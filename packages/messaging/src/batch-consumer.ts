import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Logger } from '@ticketing/platform';
import { incomingMessage, type IncomingMessage, type Subscription } from './kafka-bus';
import { groupJoined } from './group-join';
import { kafkaLogCreator } from './kafka-log';
import { createOffsetCommitter } from './offset-committer';
import { createGather, disconnectGathering } from './gather-pauses';
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
   * it is done; only then may the batch's offset be committed. Throwing means "redeliver the batch".
   */
  handleBatch: (messages: readonly IncomingMessage[]) => Promise<void>;
  /** Partitions handled at the same time (each in order). Default 3, a topic's partitions. */
  partitionsConsumedConcurrently?: number;
  /**
   * After a fetch it handled, wait this long before the next, so a steady trickle comes in fuller
   * fetches instead of a message or two each (see `ConsumeOptions.gatherMs`: the first message
   * after a quiet spell is not held, nothing is fetched in vain while idle, a stop ends the wait).
   * Default 0: fetch again at once.
   */
  gatherMs?: number;
  joinTimeoutMs?: number;
  /** Handled offsets are committed together at most this often, and at stop (see offset-committer.ts). Default 1 s. */
  commitIntervalMs?: number;
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
  const gather = createGather(options.gatherMs);
  const offsets = createOffsetCommitter({ groupId, logger, intervalMs: options.commitIntervalMs ?? 1_000, commit: (handled) => consumer.commitOffsets(handled) });
  const flushOffsets = () => offsets.flush().catch((error: unknown) => logger.warn({ err: error, groupId }, 'offset commit at stop failed; those messages may be delivered again'));
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
        const messages = batch.messages.map((message) => incomingMessage(topic, partition, message));
        await withProcessSpans(messages, groupId, () => options.handleBatch(messages));
        offsets.handled(topic, partition, batch.lastOffset());
        await heartbeat();
        await gather.afterBatch({ isRunning, isStale });
        // Stopping: kafkajs leaves the group once this batch returns, and a commit needs the group.
        if (!isRunning()) await flushOffsets();
      },
    });
    await joined;
  } catch (error) {
    await disconnectGathering(consumer, gather);
    throw error;
  }
  return {
    async stop() {
      await flushOffsets();
      await disconnectGathering(consumer, gather);
    },
    failure: () => failure,
  };
}
