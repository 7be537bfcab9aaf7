import { randomUUID } from 'node:crypto';
import { topicFor } from '@ticketing/contracts';
import type { MessageBus } from '@ticketing/messaging';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, sql, testSystem, type SignedUpFan } from '@ticketing/test-support';
import { bookingEvent, createBus, eventually } from './support';

const BOOKING_PAYMENT = `query BookingPayments($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Booking { id payment { id bookingId amount status } } }
}`;
const PAYMENTS = `query Payments($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Payment { id bookingId amount status } }
}`;

type BookingData = { _entities: Array<{ id: string; payment: { id: string; bookingId: string; amount: number; status: string } | null } | null> };
type PaymentData = { _entities: Array<{ id: string; bookingId: string; amount: number; status: string } | null> };

/** Straight to the payment subgraph, as the gateway's entity fetch would be (or an attacker's). */
const onPaymentSubgraph = <T>(query: string, representations: object[], token?: string) =>
  gql<T>(query, { representations }, { url: `${testSystem().serviceUrls['payment']}/graphql`, ...(token ? { token } : {}) });
const bookingPayment = (bookingId: string, token?: string) => onPaymentSubgraph<BookingData>(BOOKING_PAYMENT, [{ __typename: 'Booking', id: bookingId }], token);
const paymentById = (paymentId: string, token?: string) => onPaymentSubgraph<PaymentData>(PAYMENTS, [{ __typename: 'Payment', id: paymentId }], token);

/**
 * Who may see a payment, against the running payment process: the payment is made the way
 * the saga makes it, by a PaymentRequested on this run's booking.events topic.
 */
describe('who may see a payment', () => {
  let bus: MessageBus;
  let owner: SignedUpFan;
  let snoop: SignedUpFan;
  let admin: string;
  const bookingId = randomUUID();
  let paymentId: string;

  beforeAll(async () => {
    bus = createBus('access');
    [owner, snoop] = await Promise.all([signUpFan('Owner'), signUpFan('Snoop')]);
    admin = await logInAdmin();
    const charged = await gql('mutation { chargeWallet(amount: 50000, idempotencyKey: "access-test") { balance } }', {}, { token: owner.token });
    expect(charged.errors).toBeUndefined();

    const request = bookingEvent('PaymentRequested', { bookingId, userId: owner.id, amount: 32_100 });
    await bus.publish(topicFor('booking', testSystem().env['KAFKA_TOPIC_PREFIX']), [{ key: bookingId, value: JSON.stringify(request) }]);
    const [payment] = await eventually(async () => {
      const rows = await sql<{ id: string }>('payment', 'SELECT id FROM payments WHERE booking_id = $1', [bookingId]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, 'the payment subgraph to handle PaymentRequested');
    paymentId = payment!.id;
  });

  afterAll(async () => {
    await bus.close();
    await closeDatabases();
  });

  it('shows the payer their booking payment and debited wallet', async () => {
    const response = await bookingPayment(bookingId, owner.token);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([{ id: bookingId, payment: { id: paymentId, bookingId, amount: 32_100, status: 'COMPLETED' } }]);

    const byId = await paymentById(paymentId, owner.token);
    expect(byId.data?._entities).toEqual([{ id: paymentId, bookingId, amount: 32_100, status: 'COMPLETED' }]);
    const me = await gql<{ me: { wallet: { balance: number } } }>('{ me { wallet { balance } } }', {}, { token: owner.token });
    expect(me.data?.me.wallet.balance).toBe(50_000 - 32_100);
  });

  it("refuses another user with FORBIDDEN and none of the payment's data, by booking and by payment id", async () => {
    for (const response of [await bookingPayment(bookingId, snoop.token), await paymentById(paymentId, snoop.token)]) {
      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(JSON.stringify(response.data)).not.toContain('32100');
      expect(JSON.stringify(response.data)).not.toContain(paymentId);
    }
  });

  it('refuses a caller without a token with UNAUTHENTICATED', async () => {
    expect(errorCode(await bookingPayment(bookingId))).toBe('UNAUTHENTICATED');
    expect(errorCode(await paymentById(paymentId))).toBe('UNAUTHENTICATED');
  });

  it("lets an admin see anyone's payment", async () => {
    const response = await paymentById(paymentId, admin);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([{ id: paymentId, bookingId, amount: 32_100, status: 'COMPLETED' }]);
  });

  it('answers null for a booking without a payment and for an unknown or malformed payment id', async () => {
    const unpaid = await bookingPayment(randomUUID(), owner.token);
    expect(unpaid.errors).toBeUndefined();
    expect(unpaid.data?._entities[0]?.payment).toBeNull();

    const unknown = await onPaymentSubgraph<PaymentData>(PAYMENTS, [{ __typename: 'Payment', id: randomUUID() }, { __typename: 'Payment', id: 'not-a-uuid' }], owner.token);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?._entities).toEqual([null, null]);
  });
});
