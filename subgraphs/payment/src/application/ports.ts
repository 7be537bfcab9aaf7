import type { EventEnvelope } from '@ticketing/contracts';
import type { Payment } from '../domain/payment';
import type { RecordedEntry, RequestFingerprint, Wallet } from '../domain/wallet';

export interface StoredIdempotencyKey extends RequestFingerprint {
  /** The first call's answer, replayed to every retry. */
  response: Wallet;
}

/** A ledger entry that credits the wallet. Its amount is positive. */
export interface Credit {
  userId: string;
  amount: number;
  kind: 'CHARGE' | 'REFUND';
  /** Unique per wallet (e.g. `charge:<idempotencyKey>`, `refund:<bookingId>`). */
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
   * stays within maxBalance: the recorded entry, or null (nothing changed) when it would not.
   * Holds the wallet's row lock until the transaction ends.
   */
  credit(credit: Credit): Promise<RecordedEntry | null>;
  storeResponse(userId: string, key: string, response: Wallet): Promise<void>;
  /** Stores the envelopes for the outbox relay, in this transaction. */
  appendToOutbox(envelopes: readonly EventEnvelope[]): Promise<void>;
}

/** Where a change came from, stamped on its events: the request (or event) that started the chain and the direct cause. */
export interface Causation {
  correlationId: string;
  causationId: string | null;
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

/** A ledger entry that takes money out of the wallet. Its amount is positive here, stored negative. */
export interface Debit {
  userId: string;
  amount: number;
  /** Unique per wallet: `booking:<bookingId>`. */
  reference: string;
}

/**
 * The writes of one reaction to a booking event. Every method runs inside the consumer's
 * transaction, the one that also records the event in the inbox, so the effect, its outbox
 * event and "handled" commit together or not at all.
 */
export interface PaymentTransaction {
  /**
   * Locks the user's wallet row until the transaction ends and answers its balance and version:
   * concurrent payments of one user queue here, and each decides on the balance the previous one
   * left. A user without a wallet has 0 at version 0 (nothing to lock: nothing to debit either).
   */
  lockWallet(userId: string): Promise<{ balance: number; version: number }>;
  /**
   * Records the booking's payment, its debit when there is one (the PAYMENT ledger entry, taken
   * out of the wallet this transaction locked) and `envelopes` into the outbox, all in one
   * statement, each WalletDebited given the id of the entry it drew in place of its placeholder.
   * Null, with nothing written, when the booking already has a payment (UNIQUE booking_id); if a
   * concurrent transaction is inserting one, this waits until that one commits (null) or rolls
   * back. Otherwise the entry the debit recorded, null without one. Throws if the balance cannot
   * cover the debit (nothing is written: the caller's transaction rolls back).
   */
  recordPayment(payment: Payment, debit: Debit | null, envelopes: readonly EventEnvelope[]): Promise<{ entry: RecordedEntry | null } | null>;
  /** As WalletTransaction.credit: the recorded entry, or null (nothing written) beyond maxBalance. */
  credit(credit: Credit): Promise<RecordedEntry | null>;
  /** The booking's payment, its row locked until the transaction ends; null if there is none. */
  lockPaymentOfBooking(bookingId: string): Promise<Payment | null>;
  /** COMPLETED → REFUNDED with the reason; throws if the payment is not COMPLETED. */
  markRefunded(paymentId: string, reason: string): Promise<void>;
  /** Stores the envelopes for the outbox relay to publish on `<aggregate type>.events`. */
  appendToOutbox(envelopes: readonly EventEnvelope[]): Promise<void>;
}

/** What GraphQL reads of payments. Ids that cannot exist (not UUIDs) are simply not found. */
export interface PaymentReader {
  findByIds(ids: readonly string[]): Promise<Payment[]>;
  findByBookingIds(bookingIds: readonly string[]): Promise<Payment[]>;
}
