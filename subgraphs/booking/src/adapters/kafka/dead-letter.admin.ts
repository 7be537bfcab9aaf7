import { deadLetterTopicFor, type AggregateType } from '@ticketing/contracts';
import { DLQ_HEADERS, type DeadLetter, type DeadLetters } from '@ticketing/messaging';

export type SagaTopic = 'BOOKING_EVENTS' | 'PAYMENT_EVENTS';

export interface DeadLetterView {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  eventType: string | null;
  reason: string | null;
  consumer: string | null;
  sourceTopic: string;
  failedAt: string | null;
  value: string | null;
}

export interface DeadLetterAdmin {
  list: (source: SagaTopic, limit: number) => Promise<DeadLetterView[]>;
  /** Null when that partition and offset hold no parked message. */
  redrive: (source: SagaTopic, partition: number, offset: string) => Promise<DeadLetterView | null>;
}

const AGGREGATE_OF: Record<SagaTopic, AggregateType> = { BOOKING_EVENTS: 'booking', PAYMENT_EVENTS: 'payment' };

const toView = (letter: DeadLetter): DeadLetterView => ({
  topic: letter.topic,
  partition: letter.partition,
  offset: letter.offset,
  key: letter.key,
  eventType: letter.headers['event-type'] ?? null,
  reason: letter.reason,
  consumer: letter.headers[DLQ_HEADERS.consumer] ?? null,
  sourceTopic: letter.sourceTopic,
  failedAt: letter.headers[DLQ_HEADERS.failedAt] ?? null,
  value: letter.value,
});

/** The saga's dead-letter topics as an admin sees them: list what was parked, send one back. */
export function createDeadLetterAdmin(deps: { deadLetters: DeadLetters; topic: (aggregateType: AggregateType) => string }): DeadLetterAdmin {
  const dlqOf = (source: SagaTopic) => deadLetterTopicFor(deps.topic(AGGREGATE_OF[source]));
  return {
    async list(source, limit) {
      return (await deps.deadLetters.list(dlqOf(source), limit)).map(toView);
    },
    async redrive(source, partition, offset) {
      // Kafka cannot fetch one message by offset through this port; an admin's list is short.
      const parked = await deps.deadLetters.list(dlqOf(source), 100_000);
      const letter = parked.find((candidate) => candidate.partition === partition && candidate.offset === offset);
      if (!letter) return null;
      await deps.deadLetters.redrive(letter);
      return toView(letter);
    },
  };
}
