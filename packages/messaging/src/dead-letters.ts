import { randomUUID } from 'node:crypto';
import { isDeadLetterTopic, sourceTopicOf } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { DLQ_HEADERS } from './inbox-consumer';
import type { IncomingMessage, MessageBus } from './kafka-bus';

/** A parked message as an admin sees it: the raw message plus why and where it failed. */
export interface DeadLetter extends IncomingMessage {
  reason: string | null;
  sourceTopic: string;
}

export interface DeadLetters {
  /** Messages of a dead-letter topic, oldest first per partition, at most `limit`. */
  list: (deadLetterTopic: string, limit?: number) => Promise<DeadLetter[]>;
  /** Sends the message back to the topic it came from, without the dlq-* headers. */
  redrive: (message: DeadLetter) => Promise<void>;
}

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DLQ_HEADERS));

function toDeadLetter(message: IncomingMessage): DeadLetter {
  const topic = message.topic;
  const fallbackSource = isDeadLetterTopic(topic) ? sourceTopicOf(topic) : topic;
  return { ...message, reason: message.headers[DLQ_HEADERS.reason] ?? null, sourceTopic: message.headers[DLQ_HEADERS.sourceTopic] ?? fallbackSource };
}

/**
 * Reading is done with a throwaway consumer group from the beginning up to the high watermarks
 * taken at the start, so listing never moves a real consumer's offsets and always terminates.
 * Listed messages stay on the topic: Kafka has no delete, and the list is the audit trail.
 */
export function createDeadLetters({ bus, logger, readTimeoutMs = 30_000 }: { bus: MessageBus; logger: Logger; readTimeoutMs?: number }): DeadLetters {
  return {
    async list(deadLetterTopic, limit = 100) {
      const ends = new Map((await bus.topicOffsets(deadLetterTopic)).filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
      if (ends.size === 0 || limit <= 0) return [];
      const found: DeadLetter[] = [];
      const groupId = `dlq-reader-${randomUUID()}`;
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (finish = resolve));
      const subscription = await bus.consume({
        groupId,
        topics: [deadLetterTopic],
        fromBeginning: true,
        handle: async (message) => {
          const end = ends.get(message.partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          if (found.length < limit) found.push(toDeadLetter(message));
          if (BigInt(message.offset) + 1n >= end) ends.delete(message.partition);
          if (ends.size === 0 || found.length >= limit) finish();
        },
      });
      const timer = setTimeout(finish, readTimeoutMs);
      try {
        await done;
      } finally {
        clearTimeout(timer);
        await subscription.stop();
        await bus.deleteGroup(groupId).catch((error: unknown) => logger.warn({ err: error, groupId }, 'could not delete dead-letter reader group'));
      }
      if (ends.size > 0 && found.length < limit) logger.warn({ deadLetterTopic, read: found.length }, 'dead-letter listing timed out before the end of the topic');
      return found.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
    },

    async redrive(message) {
      const headers = Object.fromEntries(Object.entries(message.headers).filter(([name]) => !DLQ_HEADER_NAMES.has(name)));
      await bus.publish(message.sourceTopic, [{ key: message.key, value: message.value ?? '', headers }]);
      logger.info({ sourceTopic: message.sourceTopic, deadLetterTopic: message.topic, offset: message.offset }, 'dead letter redriven');
    },
  };
}
