import { AGGREGATE_TYPES, deadLetterTopicFor, isDeadLetterTopic, sourceTopicOf, topicFor } from '../src';

describe('topics', () => {
  it('prefixes topics for a deployment or test run sharing the cluster', () => {
    expect(topicFor('booking', 'run-7.')).toBe('run-7.booking.events');
    expect(deadLetterTopicFor(topicFor('booking', 'run-7.'))).toBe('run-7.booking.events.dlq');
  });

  it('gives every aggregate type its own <type>.events topic', () => {
    expect(AGGREGATE_TYPES.map((type) => topicFor(type))).toEqual([
      'user.events',
      'concert.events',
      'schedule.events',
      'queue.events',
      'queue-ticket.events',
      'booking.events',
      'seat-block.events',
      'payment.events',
      'wallet.events',
    ]);
  });

  it('parks poison messages on <topic>.dlq and replays them to the source topic', () => {
    const dlq = deadLetterTopicFor(topicFor('booking'));
    expect(dlq).toBe('booking.events.dlq');
    expect(isDeadLetterTopic(dlq)).toBe(true);
    expect(isDeadLetterTopic('booking.events')).toBe(false);
    expect(sourceTopicOf(dlq)).toBe('booking.events');
  });

  it('does not nest dead-letter topics when a replayed message fails again', () => {
    expect(deadLetterTopicFor('payment.events.dlq')).toBe('payment.events.dlq');
  });
});
