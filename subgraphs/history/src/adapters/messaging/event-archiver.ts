import { AGGREGATE_TYPES, deadLetterTopicFor, topicFor } from '@ticketing/contracts';
import type { EventStore } from '@ticketing/event-store';
import { consumeBatches, createKafkaBus, createMessagingMetrics, deadLetterMessage, type IncomingMessage, type MessagingMetricsOptions, type Subscription } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import { archiveBatch, type ArchiveOutcome } from '../../application/archive-batch';
import { coalesceAppends } from '../../application/coalesce-appends';

/** Consumer-group suffix and the `dlq-consumer` header of what it parks. */
export const ARCHIVER = 'archiver';

export interface EventArchiverOptions {
  brokers: readonly string[];
  topicPrefix: string;
  store: Pick<EventStore, 'append'>;
  logger: Logger;
  /** Events per store append at most; a larger Kafka batch is cut into appends of this size. */
  maxAppend?: number;
  /**
   * Partitions handled at the same time; their concurrent appends are coalesced into one store
   * append (see coalesceAppends). Default 8.
   */
  partitionsConcurrently?: number;
  /**
   * How long the archiver waits after a fetch before the next. The archive is off the saga's path,
   * and each store append costs FerretDB about the same whatever it carries, so an on-sale's
   * trickle is better stored in fewer, fuller appends. 0: fetch again at once.
   */
  gatherMs?: number;
  /** Consumer-group suffix; default `archiver`. Only a test runs a second group (every event archived twice). */
  consumerGroup?: string;
  /**
   * The service's metrics registry: the group's messages by outcome, its dead letters and its lag
   * go on it, as for every other consumer group (the messaging package's metrics).
   */
  registry?: MessagingMetricsOptions['registry'];
}

/**
 * Archives every `<aggregate>.events` topic of the registry into the event store, in its own
 * consumer group from the beginning of each topic. Topics (and their dead-letter topics) are
 * created here, so the archiver can join before a service has published its first event.
 */
export function createEventArchiver(options: EventArchiverOptions) {
  const { topicPrefix, logger, store } = options;
  const maxAppend = options.maxAppend ?? 1_000;
  const bus = createKafkaBus({ brokers: options.brokers, clientId: `${topicPrefix}history`, logger });
  const topics = AGGREGATE_TYPES.map((type) => topicFor(type, topicPrefix));
  const groupId = `${topicPrefix}history.${options.consumerGroup ?? ARCHIVER}`;
  const metrics = options.registry ? createMessagingMetrics({ registry: options.registry, bus, logger }) : undefined;
  metrics?.watchLag(groupId, topics);
  const counted = metrics?.forGroup(groupId);
  const times = (n: number, record: () => void) => {
    for (let i = 0; i < n; i++) record();
  };
  /** A batch is one partition of one topic; every archived message of it ends in exactly one outcome. */
  const countOutcome = (topic: string, outcome: ArchiveOutcome) => {
    if (!counted) return;
    times(outcome.appended, () => counted.finished(topic, 'handled'));
    times(outcome.duplicates, () => counted.finished(topic, 'duplicate'));
    times(outcome.parked, () => counted.finished(topic, 'dead-lettered'));
  };

  // Partitions' batches that arrive together (one Kafka fetch) become one store append.
  const append = coalesceAppends((envelopes) => store.append(envelopes), { maxEvents: maxAppend });
  const archive = archiveBatch<IncomingMessage>({
    append,
    // The raw message with the messaging package's dlq-* headers, so admins list and redrive it like any other.
    park: async (message, reason) => {
      await bus.publish(deadLetterTopicFor(message.topic), [deadLetterMessage(message, reason, `history.${ARCHIVER}`)]);
      logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, reason }, 'message parked on the dead-letter topic');
    },
  });

  let subscription: Subscription | undefined;
  let stopping = false;
  let starting: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function handleBatch(messages: readonly IncomingMessage[]): Promise<void> {
    for (let from = 0; from < messages.length; from += maxAppend) {
      const slice = messages.slice(from, from + maxAppend);
      const topic = slice[0]?.topic ?? '';
      if (counted) times(slice.length, () => counted.consumed(topic));
      let outcome: ArchiveOutcome;
      try {
        outcome = await archive(slice);
      } catch (error) {
        // Redelivered, not parked: the store or Kafka failed.
        if (counted) times(slice.length, () => counted.failed(topic));
        throw error;
      }
      countOutcome(topic, outcome);
      logger.debug({ topic, ...outcome }, 'batch archived');
    }
  }

  async function startUntilRunning(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await bus.ensureTopics([...topics, ...topics.map((topic) => deadLetterTopicFor(topic))]);
        if (stopping) return;
        subscription = await consumeBatches({
          brokers: options.brokers,
          clientId: `${topicPrefix}history`,
          groupId,
          topics,
          logger,
          handleBatch,
          partitionsConsumedConcurrently: options.partitionsConcurrently ?? 8,
          ...(options.gatherMs && { gatherMs: options.gatherMs }),
        });
        logger.info({ topics }, 'archiver started');
        return;
      } catch (error) {
        const retryInMs = Math.min(1_000 * 2 ** (attempt - 1), 30_000);
        logger.error({ err: error, attempt, retryInMs }, 'archiver could not start (is Kafka reachable?); retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryInMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  return {
    topics,
    groupId,
    /** Resolves once the group has joined (retrying while Kafka is unreachable), or at `stop`. */
    start(): Promise<void> {
      starting ??= startUntilRunning();
      return starting;
    },
    /** Readiness: throws until the archiver has joined its group, or once it stopped for good. */
    async check(): Promise<void> {
      if (!subscription) throw new Error('archiver not consuming yet');
      const failure = subscription.failure();
      if (failure) throw new Error(`archiver stopped: ${failure.message}`);
    },
    /** The batch in flight finishes and commits, then the group is left. */
    async stop(): Promise<void> {
      stopping = true;
      wake?.();
      await starting;
      await subscription?.stop();
      await bus.close();
    },
  };
}
