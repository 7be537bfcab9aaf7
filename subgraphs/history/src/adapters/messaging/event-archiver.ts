import { AGGREGATE_TYPES, deadLetterTopicFor, topicFor } from '@ticketing/contracts';
import type { EventStore } from '@ticketing/event-store';
import { consumeBatches, createKafkaBus, deadLetterMessage, type IncomingMessage, type Subscription } from '@ticketing/messaging';
import type { Logger } from '@ticketing/platform';
import { archiveBatch } from '../../application/archive-batch';

/** Consumer-group suffix and the `dlq-consumer` header of what it parks. */
export const ARCHIVER = 'archiver';

export interface EventArchiverOptions {
  brokers: readonly string[];
  topicPrefix: string;
  store: Pick<EventStore, 'append'>;
  logger: Logger;
  /** Events per store append at most; a larger Kafka batch is cut into appends of this size. */
  maxAppend?: number;
  /** Consumer-group suffix; default `archiver`. Only a test runs a second group (every event archived twice). */
  consumerGroup?: string;
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

  const archive = archiveBatch<IncomingMessage>({
    append: (envelopes) => store.append(envelopes),
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
      const outcome = await archive(messages.slice(from, from + maxAppend));
      logger.debug({ topic: messages[0]?.topic, ...outcome }, 'batch archived');
    }
  }

  async function startUntilRunning(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await bus.ensureTopics([...topics, ...topics.map((topic) => deadLetterTopicFor(topic))]);
        if (stopping) return;
        subscription = await consumeBatches({ brokers: options.brokers, clientId: `${topicPrefix}history`, groupId, topics, logger, handleBatch });
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
