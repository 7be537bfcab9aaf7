import type { GraphQLResolveInfo } from 'graphql';
import type { Viewer } from '@ticketing/platform';
import { createContextFactory, createResolvers } from '../src/adapters/graphql/resolvers';
import type { Context } from '../src/adapters/graphql/models';
import type { PaymentReader, WalletStore } from '../src/application/ports';
import type { Payment } from '../src/domain/payment';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const paymentOf = (n: number, userId: string): Payment => ({
  id: `c000000${n}-0000-4000-8000-000000000000`,
  bookingId: `b000000${n}-0000-4000-8000-000000000000`,
  userId,
  amount: 1_000 * n,
  status: 'COMPLETED',
  reason: null,
});
const [alicesFirst, alicesSecond, bobs] = [paymentOf(1, ALICE), paymentOf(2, ALICE), paymentOf(3, BOB)];

/** A reader over a fixed list that records every batch; it matches ids in any case, as PostgreSQL's uuid does. */
function readerOf(payments: Payment[]) {
  const batches: string[][] = [];
  const matching = (ids: readonly string[], key: (p: Payment) => string) => {
    batches.push([...ids]);
    const wanted = ids.map((id) => id.toLowerCase());
    return payments.filter((p) => wanted.includes(key(p)));
  };
  const reader: PaymentReader = {
    findByIds: async (ids) => matching(ids, (p) => p.id),
    findByBookingIds: async (ids) => matching(ids, (p) => p.bookingId),
  };
  return { reader, batches };
}
const noWallets: WalletStore = { findBalances: async () => new Map(), transaction: () => Promise.reject(new Error('not used here')) };

type BookingPayment = (booking: { id: string }, args: object, context: Context, info: GraphQLResolveInfo) => Promise<Payment | null>;

function bookingPaymentFor(reader: PaymentReader, viewer: Viewer | null) {
  const context = createContextFactory(noWallets, reader)({ requestId: 'test', viewer });
  const field = createResolvers({ chargeWallet: () => Promise.reject(new Error('not used here')) }).Booking!.payment as BookingPayment;
  return (bookingId: string) => field({ id: bookingId }, {}, context, {} as GraphQLResolveInfo);
}

describe('resolving Booking.payment for entity references', () => {
  it('given the payer asking for three bookings in one request, then the reader is asked once, answers come in order and a booking without payment is null', async () => {
    const { reader, batches } = readerOf([alicesFirst, alicesSecond]);
    const payment = bookingPaymentFor(reader, { userId: ALICE, role: 'USER' });
    const unpaid = 'b0000009-0000-4000-8000-000000000000';

    const answers = await Promise.all([alicesSecond.bookingId, unpaid, alicesFirst.bookingId.toUpperCase()].map(payment));

    expect(answers).toEqual([alicesSecond, null, alicesFirst]);
    expect(batches).toHaveLength(1);
  });

  it("given another user's booking, then it is FORBIDDEN", async () => {
    const { reader } = readerOf([bobs]);
    await expect(bookingPaymentFor(reader, { userId: ALICE, role: 'USER' })(bobs.bookingId)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('given no signed-in caller, then it is UNAUTHENTICATED before anything is read', async () => {
    const { reader, batches } = readerOf([bobs]);
    await expect(bookingPaymentFor(reader, null)(bobs.bookingId)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(batches).toEqual([]);
  });

  it("given an admin, then anyone's payment is visible", async () => {
    const { reader } = readerOf([bobs]);
    await expect(bookingPaymentFor(reader, { userId: ALICE, role: 'ADMIN' })(bobs.bookingId)).resolves.toEqual(bobs);
  });
});
