import { SERVICES, type AggregateType } from './services';

export type { AggregateType };

/**
 * Kafka topics: one per aggregate type (each service's `aggregates` in the registry), keyed by
 * aggregate id so every aggregate's events stay in order on one partition. Poison messages are
 * parked on `<topic>.dlq` for an admin to list and replay.
 */
export const AGGREGATE_TYPES = SERVICES.flatMap((service) => service.aggregates) as readonly AggregateType[] as readonly [AggregateType, ...AggregateType[]];

export type EventTopic = `${AggregateType}.events`;
export type DeadLetterTopic = `${string}.dlq`;

/**
 * The topic of an aggregate type. `prefix` (KAFKA_TOPIC_PREFIX) separates deployments or test
 * runs sharing one cluster; production leaves it empty.
 */
export function topicFor(aggregateType: AggregateType, prefix = ''): EventTopic {
  return `${prefix}${aggregateType}.events` as EventTopic;
}

const DLQ_SUFFIX = '.dlq';

export function deadLetterTopicFor(topic: string): DeadLetterTopic {
  // Parking a message that came from a dead-letter topic again must not grow `.dlq.dlq`.
  return (isDeadLetterTopic(topic) ? topic : `${topic}${DLQ_SUFFIX}`) as DeadLetterTopic;
}

export function isDeadLetterTopic(topic: string): topic is DeadLetterTopic {
  return topic.endsWith(DLQ_SUFFIX);
}

/** The topic a parked message is replayed to. */
export function sourceTopicOf(deadLetterTopic: DeadLetterTopic): string {
  return deadLetterTopic.slice(0, -DLQ_SUFFIX.length);
}
