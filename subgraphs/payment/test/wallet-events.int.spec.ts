import { randomUUID } from 'node:crypto';
import { parseEvent, topicFor, type KnownEvent } from '@ticketing/contracts';
import { createDeadLetters, type MessageBus } from '@ticketing/messaging';
import { closeDatabases, gql, signUpFan, sql, testSystem, type SignedUpFan } from '@ticketing/test-support';
import { foldWallet, type WalletEvent } from '../src/domain/wallet';
import { bookingEvent, createBus, eventually, logger } from './support';

const CHARGE = `mutation Charge($amount: Int!, $idempotencyKey: String!) {
  chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance }
}`;
const charge = (fan: SignedUpFan, amount: number, idempotencyKey: string) =>
  gql<{ chargeWallet: { balance: number } }>(CHARGE, { amount, idempotencyKey }, { token: fan.token });

const prefix = () => testSystem().env['KAFKA_TOPIC_PREFIX'] ?? '';

function asWalletEvent(event: KnownEvent): WalletEvent {
  if (event.type === 'WalletCharged' || event.type === 'WalletDebited' || event.type === 'WalletRefunded') return { type: event.type, payload: event.payload } as WalletEvent;
  throw new Error(`${event.type} is not a wallet event`);
}

/** The wallet's events as its outbox holds them, in write order, each read through the contracts. */
async function outboxStream(userId: string): Promise<KnownEvent[]> {
  const rows = await sql<{ payload: unknown }>('payment', `SELECT payload FROM outbox WHERE aggregate_type = 'wallet' AND aggregate_id = $1 ORDER BY position`, [userId]);
  return rows.map((row) => {
    const parsed = parseEvent(row.payload);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value;
  });
}

async function balanceOf(userId: string): Promise<number> {
  const [wallet] = await sql<{ balance: number }>('payment', 'SELECT balance FROM wallets WHERE user_id = $1', [userId]);
  return wallet?.balance ?? 0;
}

/** What a rebuild from the store must hold: versions 0..n-1 once each, in order, and the fold equal to the balance at every step. */
function expectExactStream(events: readonly KnownEvent[], userId: string, balance: number) {
  expect(events.map((event) => event.streamVersion)).toEqual(events.map((_, index) => index));
  expect(new Set(events.map((event) => event.stream.id.toLowerCase()))).toEqual(new Set([userId.toLowerCase()]));
  const walletEvents = events.map(asWalletEvent);
  walletEvents.forEach((event, index) => expect(event.payload.balanceAfter).toBe(foldWallet(walletEvents.slice(0, index + 1)).balance));
  expect(foldWallet(walletEvents)).toEqual({ balance });
}

/** Once the relay has published every outbox row of the wallet, the messages keyed by it on this run's wallet.events. */
async function kafkaStream(bus: MessageBus, userId: string): Promise<KnownEvent[]> {
  await eventually(async () => {
    const [row] = await sql<{ unpublished: number }>(
      'payment',
      `SELECT count(*)::int AS unpublished FROM outbox WHERE aggregate_type = 'wallet' AND aggregate_id = $1 AND published_at IS NULL`,
      [userId],
    );
    return row?.unpublished === 0;
  }, 30_000, 'the relay to publish the wallet events');
  const messages = await createDeadLetters({ bus, logger }).list(topicFor('wallet', prefix()), 100_000);
  return messages
    .filter((message) => message.key === userId)
    .map((message) => {
      const parsed = parseEvent(message.value);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    });
}

describe('every balance change of a wallet is an event on its stream', () => {
  let bus: MessageBus;

  beforeAll(() => {
    bus = createBus('wallet-events');
  });

  afterAll(async () => {
    await bus.close();
    await closeDatabases();
  });

  it('given charges with replays and a refused key reuse, then the wallet stream has one WalletCharged per charge, gapless, folding to the balance, on Kafka in order', async () => {
    const fan = await signUpFan();
    const keys = Array.from({ length: 5 }, () => randomUUID());
    for (const [index, key] of keys.entries()) expect((await charge(fan, 1_000 * (index + 1), key)).errors).toBeUndefined();
    // Retries of the first and last charge answer as before; a reuse for another amount is refused.
    expect((await charge(fan, 1_000, keys[0]!)).data?.chargeWallet).toEqual({ balance: 1_000 });
    expect((await charge(fan, 5_000, keys[4]!)).data?.chargeWallet).toEqual({ balance: 15_000 });
    expect((await charge(fan, 7, keys[1]!)).errors?.[0]?.extensions?.['code']).toBe('CONFLICT');

    const stream = await outboxStream(fan.id);
    expect(stream.map((event) => [event.type, event.payload])).toEqual(
      keys.map((key, index) => ['WalletCharged', expect.objectContaining({ userId: fan.id, amount: 1_000 * (index + 1), idempotencyKey: key })]),
    );
    expectExactStream(stream, fan.id, await balanceOf(fan.id));
    expect(await balanceOf(fan.id)).toBe(15_000);

    const published = await kafkaStream(bus, fan.id);
    expect(published.map((event) => event.eventId)).toEqual(stream.map((event) => event.eventId));
  });

  it('given a charge, a booking paid from the wallet and its refund, then WalletCharged, WalletDebited, WalletRefunded fold to the balance', async () => {
    const fan = await signUpFan();
    expect((await charge(fan, 50_000, randomUUID())).errors).toBeUndefined();
    const bookingTopic = topicFor('booking', prefix());
    const bookingId = randomUUID();

    await bus.publish(bookingTopic, [{ key: bookingId, value: JSON.stringify(bookingEvent('PaymentRequested', { bookingId, userId: fan.id, amount: 32_100 })) }]);
    const [payment] = await eventually(async () => {
      const rows = await sql<{ id: string }>('payment', `SELECT id FROM payments WHERE booking_id = $1 AND status = 'COMPLETED'`, [bookingId]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'the payment of the booking');
    const refund = bookingEvent('RefundRequested', { bookingId, paymentId: payment!.id, userId: fan.id, amount: 32_100, reason: 'booking expired before the payment settled' });
    await bus.publish(bookingTopic, [{ key: bookingId, value: JSON.stringify(refund) }]);
    await eventually(async () => (await outboxStream(fan.id)).length === 3, 30_000, 'the refund to reach the wallet');

    const stream = await outboxStream(fan.id);
    expect(stream.map(asWalletEvent).map((event) => [event.type, event.payload.amount])).toEqual([
      ['WalletCharged', 50_000],
      ['WalletDebited', 32_100],
      ['WalletRefunded', 32_100],
    ]);
    expect(stream[1]).toMatchObject({ causationId: expect.any(String), payload: { paymentId: payment!.id, bookingId, balanceAfter: 17_900 } });
    // The debit's event carries the id of the entry its statement drew (not the placeholder it was enveloped with).
    const [debitEntry] = await sql<{ id: string }>('payment', 'SELECT id::text FROM ledger_entries WHERE user_id = $1 AND reference = $2', [fan.id, `booking:${bookingId}`]);
    expect(stream[1]!.payload).toMatchObject({ ledgerEntryId: Number(debitEntry!.id) });
    expect(stream[2]).toMatchObject({ causationId: refund.eventId, payload: { paymentId: payment!.id, bookingId, balanceAfter: 50_000 } });
    expectExactStream(stream, fan.id, await balanceOf(fan.id));
    expect((await kafkaStream(bus, fan.id)).map((event) => event.eventId)).toEqual(stream.map((event) => event.eventId));
  });

  it('RACE: 40 distinct charges each sent twice at once give versions 0..39 exactly once, folding to the balance', async () => {
    const fan = await signUpFan();
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const calls = [...keys, ...keys].map((key, index) => ({ key, amount: 100 + keys.indexOf(key), order: index }));
    // Interleave the duplicates so the two calls of one key really race.
    calls.sort((a, b) => a.key.localeCompare(b.key) || a.order - b.order);

    const responses = await Promise.all(calls.map(({ key, amount }) => charge(fan, amount, key)));

    expect(responses.filter((response) => response.errors)).toEqual([]);
    const balance = await balanceOf(fan.id);
    expect(balance).toBe(keys.reduce((sum, _key, index) => sum + 100 + index, 0));
    const stream = await outboxStream(fan.id);
    expect(stream).toHaveLength(40);
    expect(new Set(stream.map((event) => event.type === 'WalletCharged' && event.payload.idempotencyKey))).toEqual(new Set(keys));
    expectExactStream(stream, fan.id, balance);
    const [ledger] = await sql<{ n: number }>('payment', 'SELECT count(*)::int AS n FROM ledger_entries WHERE user_id = $1', [fan.id]);
    expect(ledger?.n).toBe(40);
  });
});
