import DataLoader from 'dataloader';
import { clientError, ErrorCode, requireViewer, Role, type RequestIdentity } from '@ticketing/platform';
import type { ChargeWalletResult } from '../../application/charge-wallet.command';
import type { WalletStore } from '../../application/ports';
import type { ChargeRequest, Wallet } from '../../domain/wallet';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface PaymentUseCases {
  chargeWallet: (userId: string, request: ChargeRequest) => Promise<ChargeWalletResult>;
}

/** The one place where payment-subgraph outcomes become GraphQL errors. */
function toWallet(result: ChargeWalletResult): Wallet {
  switch (result.kind) {
    case 'WalletCharged':
    case 'ChargeReplayed':
      return result.wallet;
    case 'InvalidAmount':
      throw clientError(ErrorCode.BAD_USER_INPUT, `Amount must be a whole number from ${result.min} to ${result.max}`, {
        field: 'amount',
      });
    case 'InvalidIdempotencyKey':
      throw clientError(
        ErrorCode.BAD_USER_INPUT,
        `Idempotency key must be 1 to ${result.maxLength} characters of A-Z, a-z, 0-9, _ - : .`,
        { field: 'idempotencyKey' },
      );
    case 'BalanceLimitExceeded':
      // BAD_USER_INPUT: this amount cannot be accepted now; a smaller one may be.
      throw clientError(ErrorCode.BAD_USER_INPUT, `A wallet cannot hold more than ${result.maxBalance}`, {
        field: 'amount',
        reason: 'BALANCE_LIMIT_EXCEEDED',
      });
    case 'IdempotencyKeyReused':
      throw clientError(ErrorCode.CONFLICT, 'This idempotency key was already used for a different request', {
        field: 'idempotencyKey',
      });
  }
}

export function createContextFactory(wallets: WalletStore) {
  return (identity: RequestIdentity): Context => ({
    ...identity,
    // One query per request for any number of User references (federation fan-in).
    walletsByUserId: new DataLoader<string, Wallet>(async (userIds) => {
      const balances = await wallets.findBalances(userIds);
      // No row yet: the user has never been credited, which is a balance of 0, not an error.
      return userIds.map((userId) => ({ balance: balances.get(userId) ?? 0 }));
    }),
  });
}

export function createResolvers(useCases: PaymentUseCases): Resolvers {
  return {
    Mutation: {
      chargeWallet: async (_parent, { amount, idempotencyKey }, context) => {
        const viewer = requireViewer(context.viewer);
        return toWallet(await useCases.chargeWallet(viewer.userId, { amount, idempotencyKey }));
      },
    },
    User: {
      // Authorisation happens on the field: resolving a reference reveals nothing by itself.
      __resolveReference: (reference) => ({ id: reference.id }),
      wallet: (user, _args, context) => {
        const viewer = requireViewer(context.viewer);
        if (viewer.userId !== user.id && viewer.role !== Role.ADMIN) {
          throw clientError(ErrorCode.FORBIDDEN, "Another user's wallet is private");
        }
        return context.walletsByUserId.load(user.id);
      },
    },
  };
}
