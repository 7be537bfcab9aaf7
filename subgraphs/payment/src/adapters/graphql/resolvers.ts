import DataLoader from 'dataloader';
import { clientError, ErrorCode, requireViewer, Role, type RequestIdentity, type Viewer } from '@ticketing/platform';
import type { ChargeWalletResult } from '../../application/charge-wallet.command';
import type { Causation, PaymentReader, WalletStore } from '../../application/ports';
import type { Payment } from '../../domain/payment';
import type { ChargeRequest, Wallet } from '../../domain/wallet';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface PaymentUseCases {
  chargeWallet: (userId: string, request: ChargeRequest, causation: Causation) => Promise<ChargeWalletResult>;
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

/**
 * A payment is its payer's business (and an admin's): anyone else gets FORBIDDEN and none of its
 * fields. Checked here, on every path to a payment, because the subgraph port can be called
 * past the gateway and past the booking subgraph's own ownership check.
 */
function visibleTo(viewer: Viewer, payment: Payment): Payment {
  if (viewer.userId !== payment.userId && viewer.role !== Role.ADMIN) {
    throw clientError(ErrorCode.FORBIDDEN, "Another user's payment is private");
  }
  return payment;
}

/** Answers a batch in the order asked, by a key PostgreSQL returns in lower case; null where nothing matched. */
function inRequestOrder(keys: readonly string[], payments: Payment[], keyOf: (payment: Payment) => string): Array<Payment | null> {
  const byKey = new Map(payments.map((payment) => [keyOf(payment), payment]));
  return keys.map((key) => byKey.get(key.toLowerCase()) ?? null);
}

export function createContextFactory(wallets: WalletStore, payments: PaymentReader) {
  return (identity: RequestIdentity): Context => ({
    ...identity,
    // One query per request for any number of User references (federation fan-in).
    walletsByUserId: new DataLoader<string, Wallet>(async (userIds) => {
      const balances = await wallets.findBalances(userIds);
      // No row yet: the user has never been credited, which is a balance of 0, not an error.
      return userIds.map((userId) => ({ balance: balances.get(userId) ?? 0 }));
    }),
    paymentsById: new DataLoader(async (ids) => inRequestOrder(ids, await payments.findByIds(ids), (payment) => payment.id)),
    paymentsByBookingId: new DataLoader(async (bookingIds) =>
      inRequestOrder(bookingIds, await payments.findByBookingIds(bookingIds), (payment) => payment.bookingId),
    ),
  });
}

export function createResolvers(useCases: PaymentUseCases): Resolvers {
  return {
    Mutation: {
      chargeWallet: async (_parent, { amount, idempotencyKey }, context) => {
        const viewer = requireViewer(context.viewer);
        // The request id starts the chain: WalletCharged carries it as correlation and cause.
        const causation = { correlationId: context.requestId, causationId: context.requestId };
        return toWallet(await useCases.chargeWallet(viewer.userId, { amount, idempotencyKey }, causation));
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
    Booking: {
      // No __resolveReference: the representation's id is all Booking.payment needs.
      payment: async (booking, _args, context) => {
        const viewer = requireViewer(context.viewer);
        const payment = await context.paymentsByBookingId.load(booking.id);
        return payment && visibleTo(viewer, payment);
      },
    },
    Payment: {
      __resolveReference: async (reference, context) => {
        const viewer = requireViewer(context.viewer);
        const payment = await context.paymentsById.load(reference.id);
        return payment && visibleTo(viewer, payment);
      },
    },
  };
}
