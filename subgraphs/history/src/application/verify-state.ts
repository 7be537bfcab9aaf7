import { BOOKING_EVENT_TYPES, parseEvent, WALLET_EVENT_TYPES, type KnownEvent } from '@ticketing/contracts';
import type { StoredEvent } from '@ticketing/event-store';
import { foldBooking, foldWallet, type BookingStreamEvent, type Fold, type FoldedBooking, type FoldedWallet, type WalletStreamEvent } from '../domain/folds';
import { diffStates, type Difference } from '../domain/state-diff';

/** A booking as its service's tables hold it, in the fold's terms. */
export type BookingState = FoldedBooking;
/** A wallet as payment's tables hold it. */
export type WalletState = FoldedWallet;

/** The services' current state, read-only; the caller owns the connections. */
export interface ServiceStateReader {
  bookings: () => Promise<ReadonlyMap<string, BookingState>>;
  wallets: () => Promise<ReadonlyMap<string, WalletState>>;
}

export interface VerifyReport {
  /** Events read from the store (every stream type; only booking and wallet streams are folded). */
  eventsRead: number;
  bookings: { inStore: number; inDatabase: number };
  wallets: { inStore: number; inDatabase: number };
  differences: Difference[];
}

const isBookingEvent = (event: KnownEvent): event is BookingStreamEvent => (BOOKING_EVENT_TYPES as readonly string[]).includes(event.type);
const isWalletEvent = (event: KnownEvent): event is WalletStreamEvent => (WALLET_EVENT_TYPES as readonly string[]).includes(event.type);

/** Groups a stream type's events by stream id; an event this version cannot read spoils its stream. */
class Streams<E extends { streamVersion: number }> {
  readonly events = new Map<string, E[]>();
  readonly unreadable = new Map<string, string>();

  add(id: string, event: E) {
    const stream = this.events.get(id) ?? [];
    stream.push(event);
    this.events.set(id, stream);
  }

  fold<T>(fold: (events: readonly E[]) => Fold<T>): Map<string, Fold<T>> {
    const folds = new Map<string, Fold<T>>();
    for (const [id, stream] of this.events) folds.set(id, fold(stream.sort((a, b) => a.streamVersion - b.streamVersion)));
    for (const [id, reason] of this.unreadable) folds.set(id, { kind: 'Unfoldable', reason });
    return folds;
  }
}

/**
 * Folds every booking and wallet stream of the store (one pass by global position) and compares
 * them with the services' tables: status, seats, amount and version of each booking; balance and
 * version of each wallet. Zero differences means the store alone could rebuild both.
 */
export async function verifyState(input: {
  events: AsyncIterable<StoredEvent>;
  state: ServiceStateReader;
  /** Called after each event read, with the running count (progress lines). */
  onEvent?: (eventsRead: number) => void;
}): Promise<VerifyReport> {
  const bookings = new Streams<BookingStreamEvent>();
  const wallets = new Streams<WalletStreamEvent>();
  let eventsRead = 0;
  for await (const stored of input.events) {
    input.onEvent?.(++eventsRead);
    const { type, id } = stored.stream;
    if (type !== 'booking' && type !== 'wallet') continue;
    const parsed = parseEvent(stored);
    const target = type === 'booking' ? bookings : wallets;
    if (!parsed.ok) target.unreadable.set(id, `event ${stored.eventId} is unreadable: ${parsed.reason}`);
    else if (type === 'booking' && isBookingEvent(parsed.value)) bookings.add(id, parsed.value);
    else if (type === 'wallet' && isWalletEvent(parsed.value)) wallets.add(id, parsed.value);
  }
  const [bookingRows, walletRows] = await Promise.all([input.state.bookings(), input.state.wallets()]);
  const bookingFolds = bookings.fold(foldBooking);
  const walletFolds = wallets.fold(foldWallet);
  return {
    eventsRead,
    bookings: { inStore: bookingFolds.size, inDatabase: bookingRows.size },
    wallets: { inStore: walletFolds.size, inDatabase: walletRows.size },
    differences: [
      ...diffStates('booking', bookingFolds, bookingRows, ['status', 'seatIds', 'amount', 'version']),
      ...diffStates('wallet', walletFolds, walletRows, ['balance', 'version']),
    ],
  };
}
