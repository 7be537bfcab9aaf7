import type { RequestFingerprint, Wallet } from '../domain/wallet';

export interface StoredIdempotencyKey extends RequestFingerprint {
  /** The first call's answer, replayed to every retry. */
  response: Wallet;
}

/** A ledger entry that credits the wallet. Its amount is positive. */
export interface Credit {
  userId: string;
  amount: number;
  kind: 'CHARGE';
  /** Unique per wallet (e.g. `charge:<idempotencyKey>`). */
  reference: string;
  maxBalance: number;
}

/** The writes of one charge. Every method runs inside the same database transaction. */
export interface WalletTransaction {
  /**
   * Claims the key for this transaction; false if it already exists. A key claimed by a
   * concurrent, still-open transaction makes this wait until that one commits (false) or
   * rolls back (true), so two calls with one key never both charge.
   */
  claimIdempotencyKey(userId: string, key: string, request: RequestFingerprint): Promise<boolean>;
  findIdempotencyKey(userId: string, key: string): Promise<StoredIdempotencyKey | null>;
  /**
   * Adds the amount and appends the matching ledger entry, atomically and only if the balance
   * stays within maxBalance: the new balance, or null (nothing changed) when it would not.
   */
  credit(credit: Credit): Promise<number | null>;
  storeResponse(userId: string, key: string, response: Wallet): Promise<void>;
}

/** `rollback` undoes every write of the transaction (the claimed key included) and still answers. */
export type TransactionOutcome<T> = { commit: T } | { rollback: T };

/** Persistence of wallets, their ledger and idempotency keys. */
export interface WalletStore {
  /** Balances of these users in one query; a user without a wallet row is absent from the map. */
  findBalances(userIds: readonly string[]): Promise<Map<string, number>>;
  /** Runs `work` in one transaction; a thrown error rolls back and is rethrown. */
  transaction<T>(work: (tx: WalletTransaction) => Promise<TransactionOutcome<T>>): Promise<T>;
}
