import { randomUUID } from 'node:crypto';
import { foldBooking, foldWallet, type BookingStreamEvent, type FoldedBooking, type WalletStreamEvent } from '../src/domain/folds';
import { describeDifference, diffStates } from '../src/domain/state-diff';

const bookingId = randomUUID();
const userId = randomUUID();
const seatIds = [randomUUID(), randomUUID()].sort();

/** An envelope of one stream at a version; the payload holds what the fold reads (the rest is the contract's). */
function envelope<E extends { type: string }>(type: E['type'], streamType: string, streamId: string, streamVersion: number, payload: Record<string, unknown>): E {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    stream: { type: streamType, id: streamId },
    streamVersion,
    occurredAt: new Date(Date.UTC(2026, 11, 3, 10, 0, streamVersion)).toISOString(),
    correlationId: 'spec',
    causationId: null,
    payload: { bookingId, userId, ...payload },
  } as unknown as E;
}
const booking = (type: BookingStreamEvent['type'], version: number, payload: Record<string, unknown> = {}) =>
  envelope<BookingStreamEvent>(type, 'booking', bookingId, version, payload);
const held = () => booking('SeatsHeld', 0, { seatIds: [...seatIds].reverse(), amount: 60_000 });
const wallet = (type: WalletStreamEvent['type'], version: number, amount: number, balanceAfter: number) =>
  envelope<WalletStreamEvent>(type, 'wallet', userId, version, { amount, balanceAfter });

describe('foldBooking', () => {
  it('given a hold, a payment request and a confirmation, then the booking is CONFIRMED with the held seats (sorted), amount and version 2', () => {
    const fold = foldBooking([held(), booking('PaymentRequested', 1), booking('BookingConfirmed', 2)]);

    expect(fold).toEqual({ kind: 'Folded', state: { status: 'CONFIRMED', seatIds, amount: 60_000, version: 2 } });
  });

  it('given a hold that lapsed, then it is EXPIRED; given a cancelled payment and a late refund request, then it stays CANCELLED at version 3', () => {
    expect(foldBooking([held(), booking('BookingExpired', 1)])).toMatchObject({ state: { status: 'EXPIRED', version: 1 } });
    const late = foldBooking([held(), booking('PaymentRequested', 1), booking('BookingCancelled', 2), booking('RefundRequested', 3)]);
    expect(late).toMatchObject({ kind: 'Folded', state: { status: 'CANCELLED', version: 3 } });
  });

  it('given a confirmed booking refunded, then it is REFUNDED; a refund of a booking that was never confirmed is Unfoldable', () => {
    const sold = [held(), booking('PaymentRequested', 1), booking('BookingConfirmed', 2)];
    expect(foldBooking([...sold, booking('BookingRefunded', 3)])).toMatchObject({ kind: 'Folded', state: { status: 'REFUNDED', version: 3 } });
    expect(foldBooking([held(), booking('BookingRefunded', 1)])).toEqual({ kind: 'Unfoldable', reason: 'BookingRefunded at version 1 after HELD' });
  });

  it('given a stream with a missing version, then it is Unfoldable and says which', () => {
    const fold = foldBooking([held(), booking('BookingConfirmed', 2)]);

    expect(fold).toEqual({ kind: 'Unfoldable', reason: 'streamVersion 1 is missing (found 2)' });
  });

  it("given a step the decider would refuse (confirmed straight from HELD), then it is Unfoldable", () => {
    expect(foldBooking([held(), booking('BookingConfirmed', 1)])).toEqual({ kind: 'Unfoldable', reason: 'BookingConfirmed at version 1 after HELD' });
    expect(foldBooking([booking('PaymentRequested', 0)])).toEqual({ kind: 'Unfoldable', reason: 'PaymentRequested before SeatsHeld' });
  });
});

describe('foldWallet', () => {
  it('given a charge, a debit and a refund, then the balance is charged − debited + refunded and the version counts them', () => {
    const fold = foldWallet([wallet('WalletCharged', 0, 100_000, 100_000), wallet('WalletDebited', 1, 60_000, 40_000), wallet('WalletRefunded', 2, 60_000, 100_000)]);

    expect(fold).toEqual({ kind: 'Folded', state: { balance: 100_000, version: 3 } });
  });

  it('given an event whose balanceAfter disagrees with the fold, then it is Unfoldable with both numbers', () => {
    const fold = foldWallet([wallet('WalletCharged', 0, 100_000, 100_000), wallet('WalletDebited', 1, 60_000, 50_000)]);

    expect(fold).toEqual({ kind: 'Unfoldable', reason: 'WalletDebited at version 1 says balanceAfter 50000, the fold says 40000' });
  });

  it('given a stream that starts after version 0 (changes from before wallet events), then it is Unfoldable rather than a wrong balance', () => {
    expect(foldWallet([wallet('WalletCharged', 3, 5_000, 25_000)])).toMatchObject({ kind: 'Unfoldable', reason: expect.stringContaining('starts at version 3') });
  });
});

describe('diffStates', () => {
  const folded: FoldedBooking = { status: 'CONFIRMED', seatIds, amount: 60_000, version: 2 };

  it('given equal states, then there is no difference', () => {
    const differences = diffStates('booking', new Map([[bookingId, { kind: 'Folded' as const, state: folded }]]), new Map([[bookingId, { ...folded, seatIds: [...seatIds] }]]), ['status', 'seatIds', 'amount', 'version']);

    expect(differences).toEqual([]);
  });

  it('given a row the store lacks, a stream the database lacks and a changed status, then each is one difference with both values', () => {
    const onlyInDatabase = randomUUID();
    const onlyInStore = randomUUID();
    const differences = diffStates(
      'booking',
      new Map([
        [bookingId, { kind: 'Folded' as const, state: folded }],
        [onlyInStore, { kind: 'Folded' as const, state: folded }],
      ]),
      new Map<string, FoldedBooking>([
        [bookingId, { ...folded, status: 'CANCELLED' }],
        [onlyInDatabase, folded],
      ]),
      ['status', 'seatIds', 'amount', 'version'],
    );

    expect(differences).toEqual(
      expect.arrayContaining([
        { kind: 'FieldMismatch', entity: 'booking', id: bookingId, field: 'status', store: 'CONFIRMED', database: 'CANCELLED' },
        { kind: 'MissingInStore', entity: 'booking', id: onlyInDatabase },
        { kind: 'MissingInDatabase', entity: 'booking', id: onlyInStore },
      ]),
    );
    expect(differences).toHaveLength(3);
    expect(describeDifference(differences.find((d) => d.kind === 'FieldMismatch')!)).toBe(`booking ${bookingId}: status store="CONFIRMED" database="CANCELLED"`);
  });
});
