import type { Pool, PoolClient } from 'pg';
import { AGGREGATE_TYPES, topicFor, type AggregateType, type EventEnvelope, type ParseResult } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { createDeadLetters, type DeadLetters } from './dead-letters';
import { runConsumer, type AfterCommit, type ConsumerOptions } from './inbox-consumer';
import { createKafkaBus, inMessageContext, type IncomingMessage, type MessageBus, type Subscription } from './kafka-bus';
import { createMessagingMetrics, type MessagingMetricsOptions } from './messaging-metrics';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay';
import type { RetryPolicy } from './retry-policy';

export interface ServiceMessagingOptions {
  /** The service's name: Kafka client id and the first part of its consumer groups. */
  service: string;
  brokers: readonly string[];
  /** KAFKA_TOPIC_PREFIX: prepended to every topic and consumer group. */
  topicPrefix: string;
  /** The service's own database (outbox and inbox tables). */
  pool: Pool;
  logger: Logger;
  /** Injected by tests; a real Kafka bus otherwise. */
  bus?: MessageBus;
  relayIntervalMs?: number;
  /** Backoff between start attempts; default 1 s doubling up to 30 s. */
  startRetry?: StartRetry;
  /** False for a service that only consumes: it has no outbox table, so no relay polls one. Default true. */
  outbox?: boolean;
  /** The service's metrics registry: outbox backlog, consumer counts, dead letters and lag go on it. */
  registry?: MessagingMetricsOptions['registry'];
}

/** `P`: what the spec's `prepare` returns for a transaction of several messages, handed to its handlers and its `finish`. */
export interface ConsumerSpec<E extends EventEnvelope, P = unknown> {
  /** Inbox key and consumer-group suffix, e.g. `payment-outcomes`. */
  consumer: string;
  from: readonly AggregateType[];
  parse: (raw: string) => ParseResult<E>;
  /** Writes through `tx` only; may return work to run after the commit. `prepared`: what `prepare` returned for this transaction. */
  handle: (event: E, tx: PoolClient, prepared?: P) => Promise<void | AfterCommit>;
  /** Once per transaction of several messages, before their handlers (see ConsumerOptions.prepare). */
  prepare?: (events: readonly E[], tx: PoolClient) => Promise<P>;
  /** Once per such transaction, after its handlers and before COMMIT, with what `prepare` returned (see ConsumerOptions.finish). */
  finish?: (prepared: P, tx: PoolClient) => Promise<void>;
  /** Whether `handle` acts on this event at all; others take no transaction (see ConsumerOptions.acts). */
  acts?: (event: E) => boolean;
  /** The only event types `handle` acts on, if it can name them; others go unread (see ConsumerOptions.reads). */
  reads?: readonly E['type'][];
  retry?: RetryPolicy;
  /**
   * For a projection off the saga's path: how long to wait after a fetch before the next, so a
   * trickle of events is handled in fewer transactions (see ConsumeOptions.gatherMs). Default 0.
   */
  gatherMs?: number;
}

/** What of a spec the inbox consumer runs with: the one mapping, for the service and for tests that deliver by hand. */
export function consumerOptionsOf<E extends EventEnvelope, P>(spec: ConsumerSpec<E, P>): Pick<ConsumerOptions<E>, 'consumer' | 'parse' | 'handle' | 'prepare' | 'finish' | 'acts' | 'reads' | 'retry' | 'gatherMs'> {
  return {
    consumer: spec.consumer,
    parse: spec.parse,
    // The inbox consumer hands `handle` and `finish` only what this spec's `prepare` returned.
    handle: spec.handle as ConsumerOptions<E>['handle'],
    ...(spec.prepare && { prepare: spec.prepare }),
    ...(spec.finish && { finish: spec.finish as NonNullable<ConsumerOptions<E>['finish']> }),
    ...(spec.acts && { acts: spec.acts }),
    ...(spec.reads && { reads: new Set<string>(spec.reads) }),
    ...(spec.retry && { retry: spec.retry }),
    ...(spec.gatherMs && { gatherMs: spec.gatherMs }),
  };
}

/** A consumer without an inbox, for effects that are harmless to repeat (e.g. a Redis publish). */
export interface ListenerSpec {
  consumer: string;
  from: readonly AggregateType[];
  /** Default false: a new listener starts at the end, it has no business replaying history. */
  fromBeginning?: boolean;
  handle: (message: IncomingMessage) => Promise<void>;
  /**
   * Start the handles of one fetch (up to MAX_MESSAGES_TOGETHER, each partition's in order) in order
   * without waiting for each before the next, and wait for them together. For a handle whose
   * effect is a command on one connection (a Redis publish), the commands still go out in order,
   * in one write instead of a round trip each: under an on-sale one at a time was the slowest
   * stage of a payment's way to the fan's screen (issue 10). A failure redelivers the batch.
   */
  together?: boolean;
}

export interface ServiceMessaging {
  bus: MessageBus;
  relay: OutboxRelay;
  deadLetters: DeadLetters;
  /** The (prefixed) topic of an aggregate type. */
  topic: (aggregateType: AggregateType) => string;
  /** Registers a consumer; it starts with `start`. */
  consume: <E extends EventEnvelope, P>(spec: ConsumerSpec<E, P>) => void;
  /** Registers an inbox-less listener; it starts with `start`. */
  listen: (spec: ListenerSpec) => void;
  /**
   * Creates the topics, starts the relay and every registered consumer. While Kafka cannot be
   * reached (or a group cannot join yet) it logs the failure and tries again with backoff, so the
   * process stays up and says why in `/ready`; it resolves once everything runs, or at `stop`.
   */
  start: () => Promise<void>;
  /** Readiness: throws until every consumer runs, or once one has stopped for good. */
  check: () => Promise<void>;
  /** Stops consuming (in-flight messages finish and commit), drains the relay, closes Kafka. */
  stop: () => Promise<void>;
}

export interface StartRetry {
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * What a service needs to take part in the saga, wired the same way everywhere: an outbox relay
 * for the events it writes, idempotent consumers for the events it reacts to, and its
 * dead-letter topics for admins.
 */
export function createServiceMessaging(options: ServiceMessagingOptions): ServiceMessaging {
  const { service, topicPrefix, pool, logger } = options;
  const bus = options.bus ?? createKafkaBus({ brokers: options.brokers, clientId: `${topicPrefix}${service}`, logger });
  const topic = (aggregateType: AggregateType) => topicFor(aggregateType, topicPrefix);
  const relay = createOutboxRelay({
    pool,
    bus,
    topicFor: (aggregateType) => topic(aggregateType as AggregateType),
    logger,
    ...(options.relayIntervalMs !== undefined && { intervalMs: options.relayIntervalMs }),
  });
  const specs: ConsumerSpec<EventEnvelope>[] = [];
  const listeners: ListenerSpec[] = [];
  const groupId = (consumer: string) => `${topicPrefix}${service}.${consumer}`;
  const metrics = options.registry
    ? createMessagingMetrics({ registry: options.registry, bus, logger, ...(options.outbox !== false && { pool }) })
    : undefined;
  // One entry per registered consumer or listener, filled as each one joins its group.
  const subscriptions = new Map<string, Subscription>();
  const retry = options.startRetry ?? { firstDelayMs: 1_000, maxDelayMs: 30_000 };
  let started = false;
  let stopping = false;
  let starting: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** One attempt: topics, relay, then every consumer not yet running (those that joined stay). */
  async function startOnce(): Promise<void> {
    // Every topic of the registry, not only this service's: brokers in production usually refuse
    // auto-creation, and a consumer or the archiver must not wait for a producer's first event.
    await bus.ensureTopics(AGGREGATE_TYPES.map(topic));
    if (options.outbox !== false && !stopping) relay.start();
    for (const spec of specs) {
      if (stopping || subscriptions.has(spec.consumer)) continue;
      const subscription = await runConsumer({
        bus,
        pool,
        logger,
        ...consumerOptionsOf(spec),
        groupId: groupId(spec.consumer),
        topics: spec.from.map(topic),
        ...(metrics && { metrics: metrics.forGroup(groupId(spec.consumer)) }),
      });
      subscriptions.set(spec.consumer, subscription);
    }
    for (const spec of listeners) {
      if (stopping || subscriptions.has(spec.consumer)) continue;
      const counted = metrics?.forGroup(groupId(spec.consumer));
      const handle: (message: IncomingMessage) => Promise<void> = !counted
        ? spec.handle
        : async (message) => {
            counted.consumed(message.topic);
            try {
              await spec.handle(message);
              counted.finished(message.topic, 'listened');
            } catch (error) {
              counted.failed(message.topic);
              throw error;
            }
          };
      const subscription = await bus.consume({
        groupId: groupId(spec.consumer),
        topics: spec.from.map(topic),
        fromBeginning: spec.fromBeginning ?? false,
        handle,
        ...(spec.together && {
          handleMany: async (messages: IncomingMessage[]) =>
            void (await Promise.all(messages.map((message) => inMessageContext(message, groupId(spec.consumer), () => handle(message))))),
        }),
      });
      subscriptions.set(spec.consumer, subscription);
    }
  }

  async function startUntilRunning(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await startOnce();
        if (stopping) return;
        started = true;
        logger.info({ attempt, consumers: [...subscriptions.keys()] }, 'messaging started');
        return;
      } catch (error) {
        const retryInMs = Math.min(retry.firstDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
        logger.error({ err: error, attempt, retryInMs }, 'messaging could not start (is Kafka reachable?); retrying');
        if (!stopping) await pause(retryInMs);
      }
    }
  }

  return {
    bus,
    relay,
    deadLetters: createDeadLetters({ bus, logger }),
    topic,
    consume(spec) {
      specs.push(spec as unknown as ConsumerSpec<EventEnvelope>);
      metrics?.watchLag(groupId(spec.consumer), spec.from.map(topic));
    },
    listen(spec) {
      listeners.push(spec);
      metrics?.watchLag(groupId(spec.consumer), spec.from.map(topic));
    },
    start() {
      starting ??= startUntilRunning();
      return starting;
    },
    async check() {
      if (!started) throw new Error('Kafka consumers not running yet');
      for (const [consumer, subscription] of subscriptions) {
        const failure = subscription.failure();
        if (failure) throw new Error(`consumer ${consumer} stopped: ${failure.message}`);
      }
    },
    async stop() {
      stopping = true;
      wake?.();
      await Promise.all([...subscriptions.values()].map((subscription) => subscription.stop()));
      subscriptions.clear();
      await relay.stop();
      // Also ends a group join still in progress, so a start attempt in flight returns promptly.
      await bus.close();
      await starting;
    },
  };
}
