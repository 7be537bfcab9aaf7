import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createEnvelope, deadLetterTopicFor, parseEvent, topicFor } from '@ticketing/contracts';
import { createDeadLetters, type MessageBus, type ServiceMessaging } from '@ticketing/messaging';
import { createPaymentMessaging } from '../src/adapters/messaging/payment-messaging';
import { bookingEvent, brokers, createBus, eventually, fund, logger, paymentsOf, scratchPayment } from './support';

/**
 * The consumer and the relay as main.ts runs them (started with the same retries), on real
 * Kafka with topics of their own:
 * booking.events in, payment.events and booking.events.dlq out.
 */
describe('payment messaging on Kafka', () => {
  let db: { pool: Pool; drop: () => Promise<void> };
  let bus: MessageBus;
  let messaging: ServiceMessaging;
  const prefix = `test.${randomUUID()}.`;
  const bookingTopic = topicFor('booking', prefix);
  const paymentTopic = topicFor('payment', prefix);

  beforeAll(async () => {
    db = await scratchPayment();
    bus = createBus('producer');
    messaging = createPaymentMessaging({
      brokers,
      topicPrefix: prefix,
      pool: db.pool,
      logger,
      relayIntervalMs: 50,
      startRetry: { firstDelayMs: 200, maxDelayMs: 5_000 },
    });
    void messaging.start();
    await eventually(() => messaging.check().then(() => true, () => false), 45_000, 'the consumer to run');
  });

  afterAll(async () => {
    await messaging.stop();
    await bus.close();
    await db.drop();
  });

  const publish = (key: string, value: string) => bus.publish(bookingTopic, [{ key, value }]);
  const readAll = (topic: string) => createDeadLetters({ bus, logger }).list(topic, 1_000);

  it('parks malformed messages on booking.events.dlq without any effect, pays the valid request behind them and publishes PaymentCompleted', async () => {
    const [userId, bookingId] = [randomUUID(), randomUUID()];
    await fund(db.pool, userId, 9_000);
    // A well-formed envelope whose payload breaks the contract (createEvent would refuse to build it).
    const negative = createEnvelope({
      eventId: randomUUID(),
      type: 'PaymentRequested',
      schemaVersion: 1,
      stream: { type: 'booking', id: bookingId },
      streamVersion: 1,
      now: new Date(),
      correlationId: 'test',
      payload: { bookingId, userId, amount: -9_000 },
    });
    const valid = bookingEvent('PaymentRequested', { bookingId, userId, amount: 6_000 });

    // One key, one partition: once the valid request is handled, the two before it were processed.
    await publish(bookingId, '{"type": "PaymentRequested", "payload": ');
    await publish(bookingId, JSON.stringify(negative));
    await publish(bookingId, JSON.stringify(valid));

    const [payment] = await eventually(async () => {
      const rows = await paymentsOf(db.pool, [bookingId]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'the payment of the valid request');
    expect(payment).toMatchObject({ status: 'COMPLETED', amount: 6_000 });
    const { rows: inbox } = await db.pool.query<{ event_id: string }>('SELECT event_id FROM inbox');
    expect(inbox.map((row) => row.event_id)).toEqual([valid.eventId]);
    const { rows: wallet } = await db.pool.query<{ balance: number }>('SELECT balance FROM wallets WHERE user_id = $1', [userId]);
    expect(wallet).toEqual([{ balance: 3_000 }]);

    const parked = await eventually(async () => {
      const listed = await readAll(deadLetterTopicFor(bookingTopic));
      return listed.length === 2 ? listed : undefined;
    }, 30_000, 'two dead letters');
    expect(parked.map((message) => message.reason)).toEqual([
      expect.stringMatching(/^malformed: message is not valid JSON/),
      expect.stringMatching(/^malformed: payload\.amount/),
    ]);
    expect(parked.every((message) => message.sourceTopic === bookingTopic)).toBe(true);

    const published = await eventually(async () => {
      const messages = await readAll(paymentTopic);
      return messages.length > 0 ? messages : undefined;
    }, 30_000, 'PaymentCompleted on payment.events');
    expect(published).toHaveLength(1);
    const [message] = published;
    expect(message).toMatchObject({ key: payment!.id, headers: { 'event-type': 'PaymentCompleted', 'correlation-id': valid.correlationId } });
    const event = parseEvent(message!.value!);
    expect(event.ok && event.value).toMatchObject({ type: 'PaymentCompleted', causationId: valid.eventId, payload: { paymentId: payment!.id, bookingId, userId, amount: 6_000 } });
  });
});
