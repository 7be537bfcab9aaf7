import type { WalletCharged, WalletDebited, WalletRefunded } from '@ticketing/contracts';

/** Pure rules for wallets: what may be charged, how far a balance may grow, what makes a retry a replay. */

export interface Wallet {
  /** Whole currency units (KRW). */
  balance: number;
}

export const MIN_CHARGE = 1;
/** Per charge. Bounds the damage of a typo or a stolen token, and keeps every sum far from overflow. */
export const MAX_CHARGE = 10_000_000;
/**
 * Ceiling for any balance, well below GraphQL Int's 2^31-1 so a balance is always representable.
 * Mirrored by the CHECK constraints in prisma/payment/migrations/0001_init: change both together.
 */
export const MAX_BALANCE = 1_000_000_000;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 100;
// Client-generated ids (UUIDs, ULIDs, "order-42:retry.1"): safe in logs and in ledger references.
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_\-:.]+$/;

export interface ChargeRequest {
  amount: number;
  idempotencyKey: string;
}

export type ChargeRejection =
  | { kind: 'InvalidAmount'; min: number; max: number }
  | { kind: 'InvalidIdempotencyKey'; maxLength: number };

/** Refusals that depend on stored state, decided inside the charge's transaction. */
export type BalanceLimitExceeded = { kind: 'BalanceLimitExceeded'; maxBalance: number };
export type IdempotencyKeyReused = { kind: 'IdempotencyKeyReused' };

/** What a first call asked for, kept with its key so a retry can be told apart from a different request. */
export interface RequestFingerprint {
  operation: string;
  fingerprint: string;
}

export function validateCharge(request: ChargeRequest): ChargeRejection | ChargeRequest {
  const { amount, idempotencyKey } = request;
  if (!Number.isSafeInteger(amount) || amount < MIN_CHARGE || amount > MAX_CHARGE) {
    return { kind: 'InvalidAmount', min: MIN_CHARGE, max: MAX_CHARGE };
  }
  if (
    idempotencyKey.length === 0 ||
    idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH ||
    !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)
  ) {
    return { kind: 'InvalidIdempotencyKey', maxLength: IDEMPOTENCY_KEY_MAX_LENGTH };
  }
  return request;
}

export function isRejection(value: ChargeRejection | ChargeRequest): value is ChargeRejection {
  return 'kind' in value;
}

/** The key's scope is the user; the fingerprint is everything else that defines the charge. */
export function chargeFingerprint(amount: number): RequestFingerprint {
  return { operation: 'chargeWallet', fingerprint: `amount=${amount}` };
}

/** A key reused for the same request is a retry (answer as before); for anything else, a client bug. */
export function isRetryOf(stored: RequestFingerprint, incoming: RequestFingerprint): boolean {
  return stored.operation === incoming.operation && stored.fingerprint === incoming.fingerprint;
}

/** The ledger reference of a charge: unique per wallet, so one key can never be booked twice. */
export function chargeReference(idempotencyKey: string): string {
  return `charge:${idempotencyKey}`;
}

/**
 * A balance change as the ledger recorded it. `walletVersion` is the wallet row's version after
 * the change: it counts the wallet's changes (the first credit makes it 1), so the change's
 * position in the wallet's event stream, which numbers from 0, is `walletVersion - 1`.
 */
export interface RecordedEntry {
  ledgerEntryId: number;
  balanceAfter: number;
  walletVersion: number;
}

/** Why a wallet's balance changed: one kind per ledger entry kind. `amount` is positive. */
export type BalanceChange =
  | { kind: 'CHARGE'; userId: string; amount: number; idempotencyKey: string }
  | { kind: 'PAYMENT'; userId: string; amount: number; paymentId: string; bookingId: string }
  | { kind: 'REFUND'; userId: string; amount: number; paymentId: string; bookingId: string };

export type WalletEvent =
  | { type: 'WalletCharged'; payload: WalletCharged }
  | { type: 'WalletDebited'; payload: WalletDebited }
  | { type: 'WalletRefunded'; payload: WalletRefunded };

/** The stream version of a recorded change (see RecordedEntry). */
export const walletStreamVersion = (entry: RecordedEntry): number => entry.walletVersion - 1;

/** The wallet's event for a change the ledger recorded: every ledger entry has exactly one. */
export function walletEvent(change: BalanceChange, entry: RecordedEntry): WalletEvent {
  const facts = { userId: change.userId, amount: change.amount, balanceAfter: entry.balanceAfter, ledgerEntryId: entry.ledgerEntryId };
  switch (change.kind) {
    case 'CHARGE':
      return { type: 'WalletCharged', payload: { ...facts, idempotencyKey: change.idempotencyKey } };
    case 'PAYMENT':
      return { type: 'WalletDebited', payload: { ...facts, paymentId: change.paymentId, bookingId: change.bookingId } };
    case 'REFUND':
      return { type: 'WalletRefunded', payload: { ...facts, paymentId: change.paymentId, bookingId: change.bookingId } };
  }
}

/**
 * A wallet's balance from its events, oldest first: charges and refunds add, debits subtract.
 * The rule any rebuild of a balance from the event store follows (e.g. `history:verify`).
 */
export function foldWallet(events: readonly WalletEvent[]): Wallet {
  const balance = events.reduce((sum, event) => (event.type === 'WalletDebited' ? sum - event.payload.amount : sum + event.payload.amount), 0);
  return { balance };
}
