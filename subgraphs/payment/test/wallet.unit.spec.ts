import { randomUUID } from 'node:crypto';
import { parseEvent, type EventEnvelope } from '@ticketing/contracts';
import { chargeWallet } from '../src/application/charge-wallet.command';
import type { StoredIdempotencyKey, WalletStore, WalletTransaction } from '../src/application/ports';
import {
  chargeFingerprint,
  chargeReference,
  foldWallet,
  isRejection,
  isRetryOf,
  MAX_BALANCE,
  MAX_CHARGE,
  validateCharge,
  walletEvent,
  walletStreamVersion,
} from '../src/domain/wallet';

describe('validating a charge', () => {
  it.each([1, 10, 5_000, MAX_CHARGE])('given an amount of %p, when validated, then it is accepted unchanged', (amount) => {
    const request = { amount, idempotencyKey: 'order-42' };

    const result = validateCharge(request);

    expect(result).toEqual(request);
  });

  it.each([0, -1, -MAX_CHARGE, MAX_CHARGE + 1, 0.5, 1.5, Number.NaN, Infinity, 2 ** 31, 1e12])(
    'given an amount of %p, when validated, then it is InvalidAmount with the allowed range',
    (amount) => {
      const result = validateCharge({ amount, idempotencyKey: 'order-42' });

      expect(result).toEqual({ kind: 'InvalidAmount', min: 1, max: MAX_CHARGE });
    },
  );

  it.each([
    ['an empty key', ''],
    ['101 characters', 'k'.repeat(101)],
    ['a space', 'order 42'],
    ['a slash', 'order/42'],
    ['a non-ASCII letter', 'clé'],
    ['a newline', 'order\n42'],
  ])('given %s as idempotency key, when validated, then it is InvalidIdempotencyKey', (_case, idempotencyKey) => {
    const result = validateCharge({ amount: 10, idempotencyKey });

    expect(result).toEqual({ kind: 'InvalidIdempotencyKey', maxLength: 100 });
    expect(isRejection(result)).toBe(true);
  });

  it.each(['a', 'k'.repeat(100), '0f8fad5b-d9cb-469f-a165-70867728950e', 'Order_42:retry.2'])(
    'given the key %p, when validated, then it is accepted',
    (idempotencyKey) => {
      expect(isRejection(validateCharge({ amount: 10, idempotencyKey }))).toBe(false);
    },
  );

  it('checks the amount before the key', () => {
    expect(validateCharge({ amount: 0, idempotencyKey: '' })).toMatchObject({ kind: 'InvalidAmount' });
  });
});

describe('telling a retry from a different request', () => {
  it('given a key first used for 100, when the same charge comes again, then it is a retry', () => {
    expect(isRetryOf(chargeFingerprint(100), chargeFingerprint(100))).toBe(true);
  });

  it('given a key first used for 100, when it comes with 200, then it is not a retry', () => {
    expect(isRetryOf(chargeFingerprint(100), chargeFingerprint(200))).toBe(false);
  });

  it('given a key first used by another operation, when a charge comes with it, then it is not a retry', () => {
    const stored = { operation: 'refundPayment', fingerprint: chargeFingerprint(100).fingerprint };

    expect(isRetryOf(stored, chargeFingerprint(100))).toBe(false);
  });
});

describe('limits', () => {
  // The credit's limit check adds in PostgreSQL's 32-bit integer: it must not overflow before comparing.
  it('keeps the largest balance, and the largest balance plus one more charge, inside a 32-bit Int', () => {
    expect(MAX_BALANCE).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(MAX_BALANCE + MAX_CHARGE).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('records a charge in the ledger under its key', () => {
    expect(chargeReference('order-42')).toBe('charge:order-42');
  });
});

describe('the events of a wallet', () => {
  const USER = 'a0000000-0000-4000-8000-000000000001';
  const PAYMENT = 'c0000000-0000-4000-8000-000000000001';
  const BOOKING = 'b0000000-0000-4000-8000-000000000001';
  const entry = (walletVersion: number, balanceAfter: number) => ({ ledgerEntryId: 40 + walletVersion, balanceAfter, walletVersion });

  it('given a charge the ledger recorded as the wallet’s first change, then it is WalletCharged at stream version 0', () => {
    const first = entry(1, 5_000);

    expect(walletStreamVersion(first)).toBe(0);
    expect(walletEvent({ kind: 'CHARGE', userId: USER, amount: 5_000, idempotencyKey: 'order-42' }, first)).toEqual({
      type: 'WalletCharged',
      payload: { userId: USER, amount: 5_000, balanceAfter: 5_000, ledgerEntryId: 41, idempotencyKey: 'order-42' },
    });
  });

  it('given a debit and a refund of a booking, then they are WalletDebited and WalletRefunded naming the payment and booking', () => {
    const booking = { userId: USER, amount: 3_000, paymentId: PAYMENT, bookingId: BOOKING };

    expect(walletEvent({ kind: 'PAYMENT', ...booking }, entry(2, 2_000))).toEqual({
      type: 'WalletDebited',
      payload: { ...booking, balanceAfter: 2_000, ledgerEntryId: 42 },
    });
    expect(walletEvent({ kind: 'REFUND', ...booking }, entry(3, 5_000))).toEqual({
      type: 'WalletRefunded',
      payload: { ...booking, balanceAfter: 5_000, ledgerEntryId: 43 },
    });
  });

  it('given charges, a debit and a refund, when folded, then the balance is what the last event says', () => {
    const booking = { userId: USER, paymentId: PAYMENT, bookingId: BOOKING };
    const events = [
      walletEvent({ kind: 'CHARGE', userId: USER, amount: 5_000, idempotencyKey: 'a' }, entry(1, 5_000)),
      walletEvent({ kind: 'CHARGE', userId: USER, amount: 1_000, idempotencyKey: 'b' }, entry(2, 6_000)),
      walletEvent({ kind: 'PAYMENT', ...booking, amount: 4_500 }, entry(3, 1_500)),
      walletEvent({ kind: 'REFUND', ...booking, amount: 4_500 }, entry(4, 6_000)),
    ];

    expect(foldWallet(events)).toEqual({ balance: 6_000 });
    expect(foldWallet([])).toEqual({ balance: 0 });
  });
});

describe('charging a wallet (the command, on an in-memory store)', () => {
  const USER = 'a0000000-0000-4000-8000-000000000001';
  const NOW = new Date('2025-01-01T12:00:00.000Z');
  const causation = { correlationId: 'request-7', causationId: 'request-7' };

  /** One wallet: keys, balance, version, and what a committed transaction wrote to the outbox. */
  function memoryWallets(start: { balance: number; version: number } = { balance: 0, version: 0 }) {
    const state = { ...start, keys: new Map<string, StoredIdempotencyKey>(), outbox: [] as EventEnvelope[] };
    const store: WalletStore = {
      findBalances: async () => new Map([[USER, state.balance]]),
      async transaction(work) {
        const pending = { ...state, keys: new Map(state.keys), outbox: [...state.outbox] };
        const tx: WalletTransaction = {
          claimIdempotencyKey: async (_user, key, request) => {
            if (pending.keys.has(key)) return false;
            pending.keys.set(key, { ...request, response: { balance: -1 } });
            return true;
          },
          findIdempotencyKey: async (_user, key) => state.keys.get(key) ?? null,
          credit: async ({ amount, maxBalance }) => {
            if (pending.balance + amount > maxBalance) return null;
            pending.balance += amount;
            pending.version += 1;
            return { ledgerEntryId: 900 + pending.version, balanceAfter: pending.balance, walletVersion: pending.version };
          },
          storeResponse: async (_user, key, response) => {
            pending.keys.set(key, { ...pending.keys.get(key)!, response });
          },
          appendToOutbox: async (envelopes) => void pending.outbox.push(...envelopes),
        };
        const outcome = await work(tx);
        if ('rollback' in outcome) return outcome.rollback;
        Object.assign(state, pending);
        return outcome.commit;
      },
    };
    return { store, state };
  }

  const command = (store: WalletStore) => chargeWallet({ wallets: store, newId: randomUUID, clock: () => NOW });

  it('given a wallet with two changes, when charged, then WalletCharged is written in the charge’s transaction at stream version 2', async () => {
    const { store, state } = memoryWallets({ balance: 700, version: 2 });

    const result = await command(store)(USER, { amount: 300, idempotencyKey: 'k-1' }, causation);

    expect(result).toEqual({ kind: 'WalletCharged', wallet: { balance: 1_000 } });
    expect(state.outbox).toHaveLength(1);
    expect(parseEvent(JSON.stringify(state.outbox[0])).ok).toBe(true);
    expect(state.outbox[0]).toMatchObject({
      type: 'WalletCharged',
      stream: { type: 'wallet', id: USER },
      streamVersion: 2,
      occurredAt: NOW.toISOString(),
      correlationId: 'request-7',
      causationId: 'request-7',
      payload: { userId: USER, amount: 300, balanceAfter: 1_000, ledgerEntryId: 903, idempotencyKey: 'k-1' },
    });
  });

  it('given a charge already made with this key, when replayed, then it answers as before and writes no second event', async () => {
    const { store, state } = memoryWallets();
    await command(store)(USER, { amount: 300, idempotencyKey: 'k-1' }, causation);

    const replay = await command(store)(USER, { amount: 300, idempotencyKey: 'k-1' }, causation);

    expect(replay).toEqual({ kind: 'ChargeReplayed', wallet: { balance: 300 } });
    expect(state.outbox.map((event) => event.streamVersion)).toEqual([0]);
  });

  it('given a charge that would pass the balance limit, then it is refused and no event is written', async () => {
    const { store, state } = memoryWallets({ balance: MAX_BALANCE, version: 5 });

    expect(await command(store)(USER, { amount: 1, idempotencyKey: 'k-2' }, causation)).toEqual({ kind: 'BalanceLimitExceeded', maxBalance: MAX_BALANCE });
    expect(state.outbox).toEqual([]);
  });
});
