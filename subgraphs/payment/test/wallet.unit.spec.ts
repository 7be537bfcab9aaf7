import {
  chargeFingerprint,
  chargeReference,
  isRejection,
  isRetryOf,
  MAX_BALANCE,
  MAX_CHARGE,
  validateCharge,
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
