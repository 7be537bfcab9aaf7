import type DataLoader from 'dataloader';
import type { RequestIdentity } from '@ticketing/platform';
import type { Payment } from '../../domain/payment';
import type { Wallet } from '../../domain/wallet';

/** What the payment subgraph's resolvers receive: the verified caller and per-request loaders. */
export interface Context extends RequestIdentity {
  walletsByUserId: DataLoader<string, Wallet>;
  paymentsById: DataLoader<string, Payment | null>;
  paymentsByBookingId: DataLoader<string, Payment | null>;
}

/** A reference to a user owned by the user subgraph: payment knows only the id. */
export type UserModel = { id: string };

export type WalletModel = Wallet;
