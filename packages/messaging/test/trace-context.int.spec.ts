import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { EventEnvelope } from '@ticketing/contracts';
import { currentRequestContext } from '@ticketing/platform';
import { appendToOutbox } from '../src/append-to-outbox';
import { runConsumer } from '../src/inbox-consumer';
import type { MessageBus, Subscription } from '../src/kafka-bus';
import { createOutboxRelay } from '../src/outbox-relay';
import { bookingEvent, createBus, eventually, logger, readTopic, scratchBooking, uniqueTopic, writeOutbox } from './support';

/*
 * The trace context and the correlation id ride with an event from the request that appended it,
 * through its outbox row and Kafka, into the consumer's handling and on to the event that
 * handling appends. Real PostgreSQL and Kafka; spans kept in memory.
 */

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

const outboxHeaders = async (pool: Pool, eventId: string) =>
  (await pool.query<{ headers: Record<string, string> }>('SELECT headers FROM outbox WHERE id = $1', [eventId])).rows[0]?.headers;

describe('trace context through the outbox and Kafka', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let topic: string;
  const subscriptions: Subscription[] = [];

  beforeEach(async () => {
    db = await scratchBooking();
    bus = createBus('tracing');
    topic = uniqueTopic();
    await bus.ensureTopics([topic], 3);
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await bus.close();
    await db.drop();
  });

  describe('without tracing (no provider registered)', () => {
    it('an appended event carries its correlation id and no trace context', async () => {
      const event = bookingEvent(randomUUID(), 0);
      await trace.getTracer('test').startActiveSpan('request', async (span) => {
        await writeOutbox(db.pool, event);
        span.end();
      });
      expect(await outboxHeaders(db.pool, event.eventId)).toEqual({ 'correlation-id': 'test' });
    });
  });

  describe('with tracing', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

    beforeAll(() => provider.register());
    afterAll(() => provider.shutdown());
    beforeEach(() => exporter.reset());

    /** The first finished span of that name (and, for a consumer's, of that group). */
    const finished = (name: string, groupId?: string) =>
      eventually(
        async () => exporter.getFinishedSpans().find((span) => span.name === name && (!groupId || span.attributes['messaging.consumer.group.name'] === groupId)),
        30_000,
        `span ${name}`,
      );
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

    it('request → outbox row → send span → process span (with the correlation id) → the next event the handler appends', async () => {
      const event = { ...bookingEvent(randomUUID(), 0), correlationId: 'fan-request-1' };
      const next = { ...bookingEvent(event.stream.id, 1, 'TestFollowed'), correlationId: 'fan-request-1' };

      // The request: appends inside its span.
      await trace.getTracer('test').startActiveSpan('request', async (span) => {
        await writeOutbox(db.pool, event);
        span.end();
      });
      const request = await finished('request');
      const stored = await outboxHeaders(db.pool, event.eventId);
      expect(stored?.['traceparent']).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);

      // The relay publishes it with its own send span, a child of the stored context.
      const relay = createOutboxRelay({ pool: db.pool, bus, topicFor: () => topic, logger });
      expect(await relay.runOnce()).toBe(1);
      const send = await finished(`send ${topic}`);
      expect(send.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(parentOf(send)).toBe(request.spanContext().spanId);
      const [published] = await readTopic(bus, topic);
      expect(published?.headers['traceparent']).toBe(`00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`);

      // The consumer handles it inside a process span, under the event's correlation id, and appends the next event.
      const seen: Array<{ correlationId: string | undefined; spanId: string | undefined }> = [];
      const groupId = `test-group-${randomUUID()}`;
      subscriptions.push(
        await runConsumer({
          bus,
          pool: db.pool,
          consumer: 'tracing-test',
          groupId,
          topics: [topic],
          logger,
          handle: async (envelope: EventEnvelope, tx) => {
            seen.push({ correlationId: currentRequestContext()?.correlationId, spanId: trace.getActiveSpan()?.spanContext().spanId });
            if (envelope.eventId === event.eventId) await appendToOutbox(tx, [next]);
          },
        }),
      );
      const processed = await finished(`process ${topic}`, groupId);
      expect(processed.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(parentOf(processed)).toBe(send.spanContext().spanId);
      expect(processed.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.kafka.message.key': event.stream.id, 'ticketing.correlation_id': 'fan-request-1' });
      expect(seen).toEqual([{ correlationId: 'fan-request-1', spanId: processed.spanContext().spanId }]);

      const followed = await eventually(async () => outboxHeaders(db.pool, next.eventId), 30_000, 'the next event in the outbox');
      expect(followed).toMatchObject({ 'correlation-id': 'fan-request-1', traceparent: `00-${processed.spanContext().traceId}-${processed.spanContext().spanId}-01` });
      expect(followed?.['traceparent']).toMatch(TRACEPARENT);
    });

    it('a message without trace headers starts a trace of its own, under the correlation id its header names', async () => {
      const seen: Array<string | undefined> = [];
      const groupId = `test-group-${randomUUID()}`;
      subscriptions.push(
        await bus.consume({
          groupId,
          topics: [topic],
          handle: async () => {
            seen.push(currentRequestContext()?.correlationId);
          },
        }),
      );
      await bus.publish(topic, [{ key: 'k', value: '{}', headers: { 'correlation-id': 'from-header' } }]);
      const processed = await finished(`process ${topic}`, groupId);
      expect(processed.parentSpanContext).toBeUndefined();
      expect(seen).toEqual(['from-header']);
    });
  });
});
