import { randomUUID } from 'node:crypto';
import { type Pool } from 'pg';
import { createEvent, type EventMetadata, type EventPayload, type EventType } from '@ticketing/contracts';
import { consumerOptionsOf, createKafkaBus, processMessage, processMessages, type MessageBus, type MessageOutcome } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { createScratchPool } from '@ticketing/test-support';
import { collectPayment } from '../src/application/collect-payment.reaction';
import { refundPayment } from '../src/application/refund-payment.reaction';
import { bookingEventsConsumer } from '../src/adapters/messaging/booking-events.consumer';
import { pgPaymentTransaction } from '../src/adapters/persistence/pg-payment.transaction';
import { MAX_BALANCE } from '../src/domain/wallet';

export const logger = createLogger('payment-test', process.env['TEST_LOG_LEVEL'] ?? 'warn');
export const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
export const createBus = (name: string): MessageBus => createKafkaBus({ brokers, clientId: `payment-test-${name}`, logger });

/**
 * Creates topics, trying again when the broker answers the creation's own metadata check with
 * UNKNOWN_TOPIC_OR_PARTITION (KRaft metadata lags the creation; kafkajs retries only
 * LEADER_NOT_AVAILABLE there). Services get the same from their start-up retries.
 */
export async function ensureTopics(bus: MessageBus, topics: string[], partitions = 1): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bus.ensureTopics(topics, partitions);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** A migrated, empty payment database of its own, plus a pool on it. Enough connections that
 * racing deliveries really wait on each other's row locks, not on the pool. */
export const scratchPayment = () => createScratchPool('payment', 25);

/** The consumer exactly as main.ts registers it. */
export const paymentConsumer = () => {
  const deps = { newId: randomUUID, clock: () => new Date() };
  return bookingEventsConsumer({ collectPayment: collectPayment(deps), refundPayment: refundPayment(deps), logger });
};

/** A booking event as the booking subgraph's outbox would write it. */
export function bookingEvent<T extends EventType>(type: T, payload: EventPayload<T>, meta: Partial<EventMetadata> = {}) {
  return createEvent(type, payload, {
    eventId: randomUUID(),
    streamId: (payload as { bookingId?: string }).bookingId ?? randomUUID(),
    streamVersion: 1,
    now: new Date(),
    correlationId: `test-${randomUUID()}`,
    ...meta,
  });
}

/**
 * Delivers one Kafka message to the consumer through the messaging package's own processing
 * (parse, inbox row and handler in one transaction, retries, dead letters): what a partition
 * does with it, without waiting for a consumer group to form.
 */
export function deliverer(options: { pool: Pool; bus: MessageBus; topic: string }) {
  const spec = paymentConsumer();
  let offset = 0;
  return (value: unknown): Promise<MessageOutcome> =>
    processMessage(
      { topic: options.topic, partition: 0, offset: String(offset++), key: null, value: typeof value === 'string' ? value : JSON.stringify(value), headers: {} },
      {
        bus: options.bus,
        pool: options.pool,
        logger,
        ...consumerOptionsOf(spec),
        groupId: `unused-${randomUUID()}`,
        topics: [options.topic],
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      },
    );
}

/**
 * The messages delivered together, as a fetch brings them: one transaction through the messaging
 * package's batch processing; `statements`, when given, collects each statement's first word.
 */
export async function deliverTogether(options: { pool: Pool; bus: MessageBus; topic: string }, values: readonly unknown[], statements?: string[]): Promise<MessageOutcome[]> {
  const connect = options.pool.connect.bind(options.pool);
  // Counted only when asked: deliveries running at once would each wrap the pool's connect again.
  const spy = statements && jest.spyOn(options.pool, 'connect').mockImplementation(async () => {
    const client = await connect();
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements.push(String((args[0] as { text?: string }).text ?? args[0]).trim().split(/\s+/)[0]!);
      return query(...args);
    };
    return client;
  });
  try {
    return await processMessages(
      values.map((value, i) => ({ topic: options.topic, partition: 0, offset: String(i), key: null, value: JSON.stringify(value), headers: {} })),
      { bus: options.bus, pool: options.pool, logger, ...consumerOptionsOf(paymentConsumer()), groupId: `unused-${randomUUID()}`, topics: [options.topic], retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } },
    );
  } finally {
    spy?.mockRestore();
  }
}

/** Puts money in a wallet the way chargeWallet does (wallet row, version, CHARGE entry). */
export async function fund(pool: Pool, userId: string, amount: number): Promise<void> {
  const client = await pool.connect();
  try {
    await pgPaymentTransaction(client).credit({ userId, amount, kind: 'CHARGE', reference: `charge:${randomUUID()}`, maxBalance: MAX_BALANCE });
  } finally {
    client.release();
  }
}

export async function walletOf(pool: Pool, userId: string) {
  const { rows: wallets } = await pool.query<{ balance: number; version: number }>('SELECT balance, version FROM wallets WHERE user_id = $1', [userId]);
  const { rows: ledger } = await pool.query<{ kind: string; amount: number; balance_after: number; reference: string }>(
    'SELECT kind, amount, balance_after, reference FROM ledger_entries WHERE user_id = $1 ORDER BY id',
    [userId],
  );
  return { balance: wallets[0]?.balance ?? null, version: wallets[0]?.version ?? null, ledger };
}

export async function paymentsOf(pool: Pool, bookingIds: string[]) {
  const { rows } = await pool.query<{ id: string; booking_id: string; user_id: string; amount: number; status: string; reason: string | null }>(
    'SELECT id, booking_id, user_id, amount, status, reason FROM payments WHERE booking_id = ANY($1::uuid[]) ORDER BY created_at',
    [bookingIds],
  );
  return rows;
}

export async function outboxOf(pool: Pool, paymentIds: string[]) {
  const { rows } = await pool.query<{ id: string; aggregate_type: string; aggregate_id: string; event_type: string; payload: unknown; headers: unknown }>(
    'SELECT id, aggregate_type, aggregate_id, event_type, payload, headers FROM outbox WHERE aggregate_id = ANY($1::text[]) ORDER BY position',
    [paymentIds],
  );
  return rows;
}

/**
 * Every wallet equals the sum of its ledger and its latest balance_after, and no entry exists
 * without its wallet: the invariant every test leaves behind.
 */
export async function unbalancedWallets(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT w.user_id, w.balance, l.total, l.last_after
     FROM wallets w
     FULL JOIN (
       SELECT user_id, SUM(amount)::int AS total, (array_agg(balance_after ORDER BY id DESC))[1] AS last_after
       FROM ledger_entries GROUP BY user_id
     ) l USING (user_id)
     WHERE w.balance IS DISTINCT FROM l.total OR w.balance IS DISTINCT FROM l.last_after`,
  );
  return rows;
}

export { eventually } from '@ticketing/test-support';
