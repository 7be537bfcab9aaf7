import { Kafka, Partitioners, logLevel, type Consumer, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs';
import { runWithRequestContext, type Logger } from '@ticketing/platform';
import { groupJoined } from './group-join';
import { createGather, disconnectGathering, type Gather } from './gather-pauses';
import { joinSameTurn } from './join-same-turn';
import { kafkaLogCreator } from './kafka-log';
import { CORRELATION_ID_HEADER, withProcessSpan } from './message-tracing';
import { createOffsetCommitter, type OffsetCommitter } from './offset-committer';
import './kafkajs-idle-loop-fix';

/** A message as this package hands it to Kafka: values are JSON text, headers plain strings. */
export interface OutgoingMessage {
  key: string | null;
  value: string;
  headers?: Record<string, string>;
}

/** A message as a handler receives it; `value` is null for a tombstone. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface ConsumeOptions {
  groupId: string;
  topics: readonly string[];
  /** Where a group with no committed offset starts. Default true: a new consumer must not miss history. */
  fromBeginning?: boolean;
  /** Resolves when the message is done; only then is its offset committed. Throwing means "redeliver". */
  handle: (message: IncomingMessage) => Promise<void>;
  /**
   * When given, the messages of one fetch (up to MAX_MESSAGES_TOGETHER, each partition's
   * consecutive and in order, partitions one after another) are handed over together instead of
   * one by one to `handle`; resolving means every one of them is done, throwing means "redeliver
   * them all". Each message's own work runs in its context through `inMessageContext`.
   */
  handleMany?: (messages: IncomingMessage[]) => Promise<void>;
  /**
   * For a consumer off the saga's path (a projection): after a fetch it handled, wait this long
   * before fetching again, so what arrives meanwhile comes in one fetch and is handled together
   * (one transaction with `handleMany`) instead of a message or two at a time. Under a steady
   * trickle that turns a transaction per event into one per pause. The first message after a
   * quiet spell is handled at once (the fetch was waiting for it); later ones wait up to this
   * long. Unlike Kafka's fetch wait (fetch.max.wait.ms) it costs nothing while idle: no fetch
   * returns empty every few milliseconds. Stopping ends the pause. Keep it far below the group's
   * session timeout (30 s): no heartbeat goes out while it waits. Default 0: fetch at once.
   */
  gatherMs?: number;
}

/** The most messages handed to `handleMany` at once: bounds one transaction's locks and a redelivery. */
export const MAX_MESSAGES_TOGETHER = 50;

export interface Subscription {
  /** Finishes the in-flight message (and its commit), then leaves the group. */
  stop: () => Promise<void>;
  /** The error that stopped this consumer for good (the client gave up restarting it), if any. */
  failure: () => Error | undefined;
}

export interface PartitionOffsets {
  partition: number;
  /** First offset still retained. */
  low: string;
  /** Offset the next message will get: everything below it has been written. */
  high: string;
}

/** How far a consumer group is behind on one topic, summed over its partitions. */
export interface GroupLag {
  groupId: string;
  topic: string;
  lag: number;
}

/**
 * The port the rest of the system uses for Kafka. kafkajs stays behind it so the client can be
 * swapped (kafkajs is unmaintained upstream) without touching relays, consumers or services.
 */
export interface MessageBus {
  ensureTopics: (names: readonly string[], partitions?: number) => Promise<void>;
  publish: (topic: string, messages: readonly OutgoingMessage[]) => Promise<void>;
  /** One call for several topics, so the relay sends a whole batch in one request. */
  publishBatch: (batches: readonly { topic: string; messages: readonly OutgoingMessage[] }[]) => Promise<void>;
  consume: (options: ConsumeOptions) => Promise<Subscription>;
  /** Low and high watermarks per partition, e.g. to read a topic up to "now". */
  topicOffsets: (topic: string) => Promise<PartitionOffsets[]>;
  /** Rewinds a stopped group to the start of a topic (replays; redelivery tests). */
  resetOffsets: (groupId: string, topic: string) => Promise<void>;
  /** Removes a stopped group, e.g. a throwaway reader's. */
  deleteGroup: (groupId: string) => Promise<void>;
  /** Committed offsets against high watermarks, per topic (metrics). Optional: test buses need not answer it. */
  groupLag?: (groupId: string, topics: readonly string[]) => Promise<GroupLag[]>;
  close: () => Promise<void>;
}

export interface KafkaBusOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** How long `consume` waits for the group to assign partitions before giving up. */
  joinTimeoutMs?: number;
  /** Partitions one consumer handles at the same time (each in order). Default 3, a topic's partitions. */
  partitionsConsumedConcurrently?: number;
  /** How often a consumer commits the offsets it handled (see offset-committer.ts). */
  commitIntervalMs?: number;
}

/** A fetched Kafka message as handlers see it (the batch consumer's too). */
export function incomingMessage(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value ? message.value.toString('utf8') : null,
    headers: headersToStrings(message.headers),
  };
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    // Kafka allows repeated headers; the last one wins here, as no producer of ours repeats one.
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}

/**
 * Handles one message as a continuation of what produced it: inside a consumer span that is a
 * child of the trace context in its headers, and under its correlation id, so the handler's log
 * lines, calls and appended events carry both on (the inbox consumer narrows the id to the
 * parsed envelope's).
 */
export function inMessageContext<T>(message: IncomingMessage, groupId: string, work: () => Promise<T>): Promise<T> {
  const correlationId = message.headers[CORRELATION_ID_HEADER];
  const traced = () => withProcessSpan(message, groupId, work);
  return correlationId === undefined ? traced() : runWithRequestContext({ correlationId }, traced);
}

interface Running {
  offsets: OffsetCommitter;
  gather: Gather;
}

/**
 * One connection shared by every caller; a failed attempt is forgotten, so the next call tries
 * again instead of replaying the old rejection (a bus that met a Kafka still starting recovers).
 */
function connectOnce(connect: () => Promise<void>) {
  let connecting: Promise<void> | undefined;
  return {
    ready(): Promise<void> {
      connecting ??= connect().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      return connecting;
    },
    /** Whether a connection was made or is being made, i.e. whether `close` has one to end. */
    tried: () => connecting !== undefined,
  };
}

export function createKafkaBus({ brokers, clientId, logger, joinTimeoutMs = 30_000, partitionsConsumedConcurrently = 3, commitIntervalMs = 1_000 }: KafkaBusOptions): MessageBus {
  const kafka = new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.WARN, logCreator: kafkaLogCreator(logger) });
  const admin = kafka.admin();
  // Idempotent + acks=all: a retried send never duplicates or reorders a partition's messages,
  // and a send only resolves once every in-sync replica has the message.
  // One request in flight keeps a batch's order per key even across retries.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  // Each running consumer with its handled offsets, flushed when it leaves, and its gather, ended then.
  const consumers = new Map<Consumer, Running>();
  let closed = false;

  // Connected on first use, so a process that only consumes never opens a producer.
  const adminConnected = connectOnce(() => admin.connect());
  const producerConnected = connectOnce(() => producer.connect());
  const withAdmin = async () => {
    await adminConnected.ready();
    return admin;
  };
  const withProducer = async () => {
    await producerConnected.ready();
    return producer;
  };

  /**
   * Commits what was handled (so the next owner does not repeat it), then stops, which leaves
   * the group: a batch still in flight commits its own at the end (see eachBatch).
   */
  const leave = async (consumer: Consumer, { offsets, gather }: Running) => {
    await offsets.flush().catch((error: unknown) => logger.warn({ err: error }, 'final offset commit failed; those messages may be delivered again'));
    await disconnectGathering(consumer, gather);
  };

  const toKafka = (messages: readonly OutgoingMessage[]) =>
    messages.map((m) => ({ key: m.key, value: m.value, headers: { ...(m.headers ?? {}) } }));

  return {
    async ensureTopics(names, partitions = 3) {
      const client = await withAdmin();
      // createTopics is a no-op (false) for topics that already exist, so this is safe on every start.
      await client.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: partitions })) });
    },

    async publish(topic, messages) {
      if (messages.length === 0) return;
      await (await withProducer()).send({ topic, acks: -1, messages: toKafka(messages) });
    },

    async publishBatch(batches) {
      const topicMessages = batches.filter((b) => b.messages.length > 0).map((b) => ({ topic: b.topic, messages: toKafka(b.messages) }));
      if (topicMessages.length === 0) return;
      await (await withProducer()).sendBatch({ acks: -1, topicMessages });
    },

    async consume({ groupId, topics, fromBeginning = true, handle, handleMany, gatherMs }) {
      if (closed) throw new Error(`bus closed: ${groupId} not started`);
      const consumer = kafka.consumer({ groupId });
      const offsets = createOffsetCommitter({ groupId, logger, intervalMs: commitIntervalMs, commit: (handled) => consumer.commitOffsets(handled) });
      const gather = createGather(gatherMs);
      consumers.set(consumer, { offsets, gather });
      const handleOne = (message: IncomingMessage) => inMessageContext(message, groupId, () => handle(message));
      // The partitions of one fetch handled as one (see joinSameTurn), a lone message by `handle`.
      const together =
        handleMany && joinSameTurn<IncomingMessage>((messages) => (messages.length > 1 ? handleMany(messages) : handleOne(messages[0]!)), MAX_MESSAGES_TOGETHER);
      const joined = groupJoined(consumer, groupId, joinTimeoutMs);
      let failure: Error | undefined;
      consumer.on(consumer.events.CRASH, (event) => {
        logger.error({ err: event.payload.error, groupId, restart: event.payload.restart }, 'kafka consumer crashed');
        if (!event.payload.restart) failure = event.payload.error;
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [...topics], fromBeginning });
        // autoCommit off: an offset moves only after `handle` resolved for every message before
        // it, so a crash in between redelivers them (at-least-once; the inbox makes each effect
        // happen once). Partitions run in parallel, each one strictly in order. Handled offsets
        // are committed together every `commitIntervalMs` (see offset-committer.ts), not per
        // batch: under load a batch is one message, and a commit per message per group was
        // most of the broker's work.
        await consumer.run({
          autoCommit: false,
          partitionsConsumedConcurrently,
          eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
            const { topic, partition } = batch;
            const step = together ? MAX_MESSAGES_TOGETHER : 1;
            for (let from = 0; from < batch.messages.length; from += step) {
              // A rebalance or stop: leave the rest to whoever owns the partition next.
              if (!isRunning() || isStale()) break;
              const messages = batch.messages.slice(from, from + step).map((message) => incomingMessage(topic, partition, message));
              if (together) await together(messages);
              else await handleOne(messages[0]!);
              offsets.handled(topic, partition, messages[messages.length - 1]!.offset);
              await heartbeat();
            }
            await gather.afterBatch({ isRunning, isStale });
            // Stopping: kafkajs leaves the group once this batch returns, and a commit needs the
            // group, so what this batch handled is committed now.
            if (!isRunning()) await offsets.flush().catch((error: unknown) => logger.warn({ err: error, groupId }, 'offset commit at stop failed; those messages may be delivered again'));
          },
        });
        await joined;
      } catch (error) {
        consumers.delete(consumer);
        await disconnectGathering(consumer, gather);
        throw error;
      }
      return {
        async stop() {
          consumers.delete(consumer);
          await leave(consumer, { offsets, gather });
        },
        failure: () => failure,
      };
    },

    async topicOffsets(topic) {
      const offsets = await (await withAdmin()).fetchTopicOffsets(topic);
      return offsets.map(({ partition, low, high }) => ({ partition, low, high })).sort((a, b) => a.partition - b.partition);
    },

    async resetOffsets(groupId, topic) {
      await (await withAdmin()).resetOffsets({ groupId, topic, earliest: true });
    },

    async deleteGroup(groupId) {
      await (await withAdmin()).deleteGroups([groupId]);
    },

    async groupLag(groupId, topics) {
      const client = await withAdmin();
      const committed = await client.fetchOffsets({ groupId, topics: [...topics] });
      return Promise.all(
        committed.map(async ({ topic, partitions }) => {
          const ends = await client.fetchTopicOffsets(topic);
          let lag = 0;
          for (const end of ends) {
            const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            // -1: nothing committed yet, so everything still retained is ahead of the group.
            const from = offset === '-1' ? BigInt(end.low) : BigInt(offset);
            const behind = BigInt(end.high) - from;
            if (behind > 0n) lag += Number(behind);
          }
          return { groupId, topic, lag };
        }),
      );
    },

    async close() {
      closed = true;
      await Promise.all([...consumers].map(([consumer, running]) => leave(consumer, running)));
      consumers.clear();
      if (producerConnected.tried()) await producer.disconnect();
      if (adminConnected.tried()) await admin.disconnect();
    },
  };
}
