import type { GraphQLResolveInfo } from 'graphql';
import type { Viewer } from '@ticketing/platform';
import type { PaymentReader, WalletStore } from '../src/application/ports';
import { createContextFactory, createResolvers } from '../src/adapters/graphql/resolvers';
import type { Context, UserModel } from '../src/adapters/graphql/models';
import type { Wallet } from '../src/domain/wallet';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CAROL = '33333333-3333-4333-8333-333333333333';

/** A store that answers from a map and records every lookup: no database involved. */
function storeWith(balances: Record<string, number>) {
  const lookups: string[][] = [];
  const store: WalletStore = {
    findBalances: async (userIds) => {
      lookups.push([...userIds]);
      return new Map(userIds.flatMap((id) => (id in balances ? [[id, balances[id]!] as const] : [])));
    },
    transaction: () => Promise.reject(new Error('not used here')),
  };
  return { store, lookups };
}

const noPayments: PaymentReader = { findByIds: async () => [], findByBookingIds: async () => [] };

type WalletField = (user: UserModel, args: object, context: Context, info: GraphQLResolveInfo) => Promise<Wallet>;

function walletFieldFor(store: WalletStore, viewer: Viewer | null) {
  const context = createContextFactory(store, noPayments)({ requestId: 'test', viewer });
  const resolvers = createResolvers({ chargeWallet: () => Promise.reject(new Error('not used here')) });
  const field = resolvers.User!.wallet as WalletField;
  return async (id: string) => field({ id }, {}, context, {} as GraphQLResolveInfo);
}

describe('resolving User.wallet for entity references', () => {
  it('given an admin asking for three users in one request, when resolved, then the store is asked once for all of them', async () => {
    const { store, lookups } = storeWith({ [ALICE]: 40, [BOB]: 60 });
    const wallet = walletFieldFor(store, { userId: CAROL, role: 'ADMIN' });

    const wallets = await Promise.all([ALICE, BOB, CAROL].map(wallet));

    expect(wallets).toEqual([{ balance: 40 }, { balance: 60 }, { balance: 0 }]);
    expect(lookups).toEqual([[ALICE, BOB, CAROL]]);
  });

  it('given a user asking for their own wallet, when resolved, then they get it', async () => {
    const { store } = storeWith({ [ALICE]: 40 });

    await expect(walletFieldFor(store, { userId: ALICE, role: 'USER' })(ALICE)).resolves.toEqual({ balance: 40 });
  });

  it("given a user asking for someone else's wallet, when resolved, then FORBIDDEN and nothing is looked up", async () => {
    const { store, lookups } = storeWith({ [ALICE]: 40 });

    await expect(walletFieldFor(store, { userId: BOB, role: 'USER' })(ALICE)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(lookups).toEqual([]);
  });

  it('given no signed-in user, when resolved, then UNAUTHENTICATED', async () => {
    const { store } = storeWith({});

    await expect(walletFieldFor(store, null)(ALICE)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
