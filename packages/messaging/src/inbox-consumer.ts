import type { Pool, PoolClient, QueryResult } from 'pg';
import { deadLetterTopicFor, parseEnvelope, type EventEnvelope, type ParseResult } from '@ticketing/contracts';
import { inTransaction, runWithRequestContext, type Logger } from '@ticketing/platform';
import { inMessageContext, type IncomingMessage, type MessageBus, type OutgoingMessage, type Subscription } from './kafka-bus';
import type { ConsumerMetrics } from './messaging-metrics';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry-policy';

/** Headers a parked message carries, so an admin sees why and a redrive knows where it came from. */
export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  consumer: 'dlq-consumer',
  failedAt: 'dlq-failed-at',
} as const;

const MAX_REASON_LENGTH = 1_000;

export interface ConsumerOptions<E extends EventEnvelope = EventEnvelope> {
  bus: MessageBus;
  /** The consuming service's own database, holding its `inbox` table. */
  pool: Pool;
  /** Inbox key next to eventId: two consumers in one service each handle an event once. */
  consumer: string;
  groupId: string;
  topics: readonly string[];
  /**
   * The effect. Runs inside the transaction that records the event in the inbox: write through
   * `tx` only, so the effect and "handled" commit together or not at all.
   */
  handle: (envelope: E, tx: PoolClient, prepared?: unknown) => Promise<void | AfterCommit>;
  /**
   * Runs once in a transaction of several messages, after the inbox insert and before the first
   * handler, with the events about to be handled; what it returns reaches each of their handlers
   * (as `prepared`), for that transaction only. A place to read or lock in one statement what the
   * handlers would each read in one of their own. A message handled alone gets no `prepared`.
   */
  prepare?: (envelopes: readonly E[], tx: PoolClient) => Promise<unknown>;
  /**
   * Runs once in a transaction of several messages that `prepare` ran in, after the last handler
   * and before COMMIT, with what `prepare` returned: a place to write in one statement what the
   * handlers each queued there instead of writing it themselves. Its failure counts as a handler's
   * (the transaction rolls back and each message goes the one-at-a-time way, without it).
   */
  finish?: (prepared: unknown, tx: PoolClient) => Promise<void>;
  /**
   * Reads a message value; anything it refuses is parked at once (retrying cannot fix it).
   * Default: the envelope only. Services pass contracts' `parseEvent` to check payloads too.
   */
  parse?: (raw: string) => ParseResult<E>;
  /**
   * Whether `handle` would do anything with this event. One it does not act on is still read (an
   * unreadable one is parked) but opens no transaction and leaves no inbox row: with no effect
   * there is nothing to deduplicate. Default: every event is handled.
   */
  acts?: (envelope: E) => boolean;
  /**
   * The only event types `handle` acts on, when the consumer can name them: a message of any other
   * type is acknowledged unread, told by its `type` alone (one JSON.parse), its envelope and payload
   * never checked, since they are none of this consumer's business. Most of a topic is other types
   * (the queue acts on one booking event of eight), and checking each against its schema was most
   * of such a consumer's CPU. A message whose type cannot be read is parsed as usual (and parked).
   */
  reads?: ReadonlySet<string>;
  logger: Logger;
  retry?: RetryPolicy;
  /** A pause between fetches for a consumer off the saga's path (see ConsumeOptions.gatherMs). */
  gatherMs?: number;
  /** Injected for tests; real time otherwise. */
  sleep?: (ms: number) => Promise<void>;
  /** Counts what happened to each message (Prometheus); none when absent. */
  metrics?: ConsumerMetrics;
}

/**
 * Returned by a handler for work that must only happen once its writes are visible (a cache
 * invalidation, a Redis publish). Runs after COMMIT; a failure is logged, never retried: the
 * effect is already durable.
 */
export type AfterCommit = () => Promise<void>;

export type MessageOutcome = 'handled' | 'duplicate' | 'ignored' | 'dead-lettered';

/** A handler failure, told apart from infrastructure failures (those are redelivered, not parked). */
class HandlerFailed extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Consumes envelopes idempotently: the inbox row and the handler's writes share one transaction,
 * so a redelivery (crash before the offset commit, rebalance, redrive) finds the row and skips.
 *
 * Failure handling: an unreadable message goes to `<topic>.dlq` at once (retrying cannot fix it);
 * a handler that keeps throwing is retried with backoff, then parked, and the partition moves on.
 * If the database or Kafka itself fails (connect, BEGIN, inbox insert, commit, DLQ publish) the
 * error reaches the bus, the offset is not committed and the message comes back later: an outage
 * must not empty a topic into its dead-letter queue.
 */
export async function runConsumer<E extends EventEnvelope>(options: ConsumerOptions<E>): Promise<Subscription> {
  const { bus, groupId, topics } = options;
  // Parking must not fail for want of a topic when the first poison message arrives.
  await bus.ensureTopics(topics.map((topic) => deadLetterTopicFor(topic)));
  const { metrics } = options;
  return bus.consume({
    groupId,
    topics,
    ...(options.gatherMs && { gatherMs: options.gatherMs }),
    async handle(message) {
      metrics?.consumed(message.topic);
      try {
        const outcome = await processMessage(message, options);
        metrics?.finished(message.topic, outcome);
      } catch (error) {
        metrics?.failed(message.topic);
        throw error;
      }
    },
    async handleMany(messages) {
      for (const message of messages) metrics?.consumed(message.topic);
      try {
        const outcomes = await processMessages(messages, options);
        outcomes.forEach((outcome, i) => metrics?.finished(messages[i]!.topic, outcome));
      } catch (error) {
        for (const message of messages) metrics?.failed(message.topic);
        throw error;
      }
    },
  });
}

/**
 * One message's work inside a batch, as the bus runs a single message's: its consumer span and,
 * as processMessage narrows it, the event's own correlation id.
 */
function inEventContext<T>(message: IncomingMessage, envelope: EventEnvelope, groupId: string, work: () => Promise<T>): Promise<T> {
  return inMessageContext(message, groupId, () => runWithRequestContext({ correlationId: envelope.correlationId }, work));
}

/** A message read, and what to do with it without the database: park it, skip it, or handle it. */
type Read<E> = { kind: 'unreadable'; reason: string } | { kind: 'ignored' } | { kind: 'handle'; envelope: E };

/** An envelope's `type`, checking nothing else; undefined when the value is not an object with a string type. */
function typeOf(raw: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}

function read<E extends EventEnvelope>(message: IncomingMessage, options: ConsumerOptions<E>): Read<E> {
  if (options.reads && message.value !== null) {
    const type = typeOf(message.value);
    if (type !== undefined && !options.reads.has(type)) return { kind: 'ignored' };
  }
  const parse = options.parse ?? (parseEnvelope as (raw: string) => ParseResult<E>);
  const parsed = message.value === null ? ({ ok: false, reason: 'message has no value' } as const) : parse(message.value);
  if (!parsed.ok) return { kind: 'unreadable', reason: parsed.reason };
  // Most events on a topic are not every consumer's business (payment reads SeatsHeld, the queue
  // every booking event): a transaction per such event was a third of a consumer's database work.
  if (options.acts && !options.acts(parsed.value)) return { kind: 'ignored' };
  return { kind: 'handle', envelope: parsed.value };
}

/**
 * The messages of one fetch (each partition's in order), with the outcome of each. Those to handle
 * share one transaction: one BEGIN, one multi-row inbox insert (which also tells redeliveries
 * apart), every handler in turn on the same client, one COMMIT, then the after-commit steps,
 * started in order and run together. Under an on-sale a fetch brings several messages, and a
 * transaction per message (then per partition) was most of a consumer's statements (issue 10). If any handler throws, the whole
 * transaction rolls back and each message goes the one-at-a-time way (retries, then the
 * dead-letter topic), so a poison message never takes its neighbours with it.
 */
export async function processMessages<E extends EventEnvelope>(messages: readonly IncomingMessage[], options: ConsumerOptions<E>): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  const toHandle: Array<{ index: number; message: IncomingMessage; envelope: E }> = [];
  for (const [index, message] of messages.entries()) {
    const seen = read(message, options);
    if (seen.kind === 'unreadable') {
      await deadLetter(message, `malformed: ${seen.reason}`, options);
      outcomes[index] = 'dead-lettered';
    } else if (seen.kind === 'ignored') outcomes[index] = 'ignored';
    else toHandle.push({ index, message, envelope: seen.envelope });
  }
  const oneByOne = async () => {
    for (const { index, message, envelope } of toHandle) {
      outcomes[index] = await inEventContext(message, envelope, options.groupId, () => handleWithRetries(message, envelope, options));
    }
  };
  if (toHandle.length === 1) await oneByOne();
  else if (toHandle.length > 1) {
    try {
      const together = await handleTogether(toHandle, options);
      for (const [i, { index }] of toHandle.entries()) outcomes[index] = together[i]!;
    } catch (error) {
      if (!(error instanceof HandlerFailed)) throw error;
      options.logger.info({ consumer: options.consumer, messages: toHandle.length, err: error.cause }, 'a handler failed inside a batch; handling its messages one by one');
      await oneByOne();
    }
  }
  return outcomes;
}

async function handleTogether<E extends EventEnvelope>(
  toHandle: ReadonlyArray<{ message: IncomingMessage; envelope: E }>,
  options: ConsumerOptions<E>,
): Promise<MessageOutcome[]> {
  const { pool, consumer, handle, groupId } = options;
  const { outcomes, afterCommits } = await inInboxTransaction(pool, consumer, toHandle.map(({ envelope }) => envelope.eventId), async (client, fresh) => {
    let prepared: unknown;
    // Only for a transaction that handles something (a batch of redeliveries has nothing to prepare).
    const prepare = fresh.size > 0 ? options.prepare : undefined;
    if (prepare) {
      try {
        prepared = await prepare(
          toHandle.filter(({ envelope }) => fresh.has(envelope.eventId.toLowerCase())).map(({ envelope }) => envelope),
          client,
        );
      } catch (error) {
        throw new HandlerFailed(error);
      }
    }
    const outcomes: MessageOutcome[] = [];
    const afterCommits: Array<{ message: IncomingMessage; envelope: E; step: AfterCommit }> = [];
    for (const { message, envelope } of toHandle) {
      // The same event twice in one batch (a relay that re-sent it) is handled once, like any redelivery.
      if (!fresh.delete(envelope.eventId.toLowerCase())) {
        outcomes.push('duplicate');
        continue;
      }
      let step: void | AfterCommit;
      try {
        step = await inEventContext(message, envelope, groupId, () => handle(envelope, client, prepared));
      } catch (error) {
        throw new HandlerFailed(error);
      }
      if (step) afterCommits.push({ message, envelope, step });
      outcomes.push('handled');
    }
    if (prepare && options.finish) {
      try {
        await options.finish(prepared, client);
      } catch (error) {
        throw new HandlerFailed(error);
      }
    }
    return { outcomes, afterCommits };
  });
  // Started in the messages' order and run together (each logs its own failure): whatever they
  // send is sent in that order, and a batch's Redis commands (a projection's cache update and its
  // news, per event) share one write instead of a round trip each (issue 10).
  await Promise.all(afterCommits.map(({ message, envelope, step }) => inEventContext(message, envelope, groupId, () => runAfterCommit(step, envelope, options))));
  return outcomes;
}

/** A committed handling's follow-up (a nudge, a metric); its failure is logged, the effect stands. */
function runAfterCommit(step: AfterCommit, envelope: EventEnvelope, { logger, consumer }: Pick<ConsumerOptions<EventEnvelope>, 'logger' | 'consumer'>): Promise<void> {
  return step().catch((error: unknown) => logger.error({ err: error, eventId: envelope.eventId, consumer }, 'after-commit step failed (the effect is committed)'));
}

export async function processMessage<E extends EventEnvelope>(message: IncomingMessage, options: ConsumerOptions<E>): Promise<MessageOutcome> {
  const seen = read(message, options);
  if (seen.kind === 'unreadable') {
    await deadLetter(message, `malformed: ${seen.reason}`, options);
    return 'dead-lettered';
  }
  if (seen.kind === 'ignored') return 'ignored';
  const { envelope } = seen;
  // Everything the handling logs, calls and appends carries the event's own correlation id.
  return runWithRequestContext({ correlationId: envelope.correlationId }, () => handleWithRetries(message, envelope, options));
}

async function handleWithRetries<E extends EventEnvelope>(message: IncomingMessage, envelope: E, options: ConsumerOptions<E>): Promise<MessageOutcome> {
  const { logger, consumer } = options;
  try {
    const outcome = await withRetry(
      () => handleOnce(envelope, options),
      options.retry ?? DEFAULT_RETRY_POLICY,
      options.sleep,
      (error, attempt, delayMs) => {
        if (error instanceof HandlerFailed) logger.warn({ err: error.cause, eventId: envelope.eventId, consumer, attempt, delayMs }, 'handler failed; retrying');
      },
    );
    logger.debug({ eventId: envelope.eventId, eventType: envelope.type, stream: envelope.stream, consumer, outcome }, 'event handled');
    return outcome;
  } catch (error) {
    if (!(error instanceof HandlerFailed)) throw error;
    await deadLetter(message, `handler failed: ${error.message}`, options);
    return 'dead-lettered';
  }
}

async function handleOnce<E extends EventEnvelope>(envelope: E, options: ConsumerOptions<E>): Promise<MessageOutcome> {
  const { pool, consumer, handle } = options;
  const done = await inInboxTransaction(pool, consumer, [envelope.eventId], async (client, fresh) => {
    if (fresh.size === 0) return { outcome: 'duplicate' as const };
    try {
      return { outcome: 'handled' as const, afterCommit: await handle(envelope, client) };
    } catch (error) {
      throw new HandlerFailed(error);
    }
  });
  if (done.outcome === 'handled' && done.afterCommit) await runAfterCommit(done.afterCommit, envelope, options);
  return done.outcome;
}

/** Only text of this shape (an event id, a consumer name) is ever written into the inbox claim's SQL. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONSUMER_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * A transaction that begins by recording the events in the inbox: BEGIN and the multi-row insert
 * in one round trip (a simple query, so its values are written into the text; only ids and a
 * consumer name of the shapes above ever are). The rows are taken first: a concurrent redelivery
 * waits on their locks, then finds them and skips. `work` gets the ids inserted now (the others
 * were handled before), as PostgreSQL spells a uuid: in lower case, whatever case the envelope
 * used (look them up lower-cased), then COMMIT; any failure rolls the whole transaction back (issue 10: BEGIN
 * was a round trip of its own for every batch of every consumer).
 */
async function inInboxTransaction<T>(pool: Pool, consumer: string, eventIds: readonly string[], work: (client: PoolClient, fresh: Set<string>) => Promise<T>): Promise<T> {
  if (!CONSUMER_NAME.test(consumer)) throw new Error(`inbox consumer name must match ${CONSUMER_NAME}, not ${JSON.stringify(consumer)}`);
  for (const id of eventIds) if (!UUID.test(id)) throw new Error(`event id ${JSON.stringify(id)} is not a UUID`);
  const beginAndClaim = `BEGIN;
       INSERT INTO inbox (event_id, consumer)
       SELECT event_id, '${consumer}' FROM unnest(ARRAY[${eventIds.map((id) => `'${id}'`).join(',')}]::uuid[]) AS event_id
       ON CONFLICT DO NOTHING RETURNING event_id`;
  return inTransaction(pool, (client, [, claimed]) => work(client, new Set((claimed as QueryResult<{ event_id: string }>).rows.map((row) => row.event_id))), beginAndClaim);
}

/**
 * The raw message (not a parsed value: nothing it carried is lost) as it goes to `<topic>.dlq`,
 * with the dlq-* headers admins list and redrive by. Every consumer that parks builds it here.
 */
export function deadLetterMessage(message: IncomingMessage, reason: string, consumer: string): OutgoingMessage {
  return {
    key: message.key,
    value: message.value ?? '',
    headers: {
      ...message.headers,
      [DLQ_HEADERS.reason]: reason.slice(0, MAX_REASON_LENGTH),
      [DLQ_HEADERS.sourceTopic]: message.topic,
      [DLQ_HEADERS.sourcePartition]: String(message.partition),
      [DLQ_HEADERS.sourceOffset]: message.offset,
      [DLQ_HEADERS.consumer]: consumer,
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}

/** Parks the raw message with the reason. */
async function deadLetter(message: IncomingMessage, reason: string, { bus, consumer, logger }: Pick<ConsumerOptions, 'bus' | 'consumer' | 'logger'>): Promise<void> {
  const topic = deadLetterTopicFor(message.topic);
  await bus.publish(topic, [deadLetterMessage(message, reason, consumer)]);
  logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, deadLetterTopic: topic, reason }, 'message dead-lettered');
}
