import type { BookingEventType, KnownEvent, WalletEventType } from '@ticketing/contracts';

/**
 * What the history says an aggregate is: the fold of its stream. These are the store's own
 * readings, written from the contracts alone (a subgraph's code is not importable here), so
 * comparing them with a service's tables checks the service and the store against each other.
 */

export type BookingStreamEvent = Extract<KnownEvent, { type: BookingEventType }>;
export type WalletStreamEvent = Extract<KnownEvent, { type: WalletEventType }>;

export type BookingStatus = 'HELD' | 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED' | 'REFUNDED';

export interface FoldedBooking {
  status: BookingStatus;
  /** Sorted, as booking stores and publishes them. */
  seatIds: string[];
  amount: number;
  /** The last streamVersion: booking's `version` column counts the same steps. */
  version: number;
}

export interface FoldedWallet {
  balance: number;
  /** The number of balance changes: payment's `version` column (the stream's head + 1). */
  version: number;
}

export type Fold<T> = { kind: 'Folded'; state: T } | { kind: 'Unfoldable'; reason: string };

/**
 * Booking's decider, read backwards: which status each event leaves and from which statuses it
 * may come. RefundRequested is a step that keeps the status (money that arrived too late).
 */
const BOOKING_STEPS: Record<BookingEventType, { from: readonly BookingStatus[] | 'new'; to: BookingStatus | 'unchanged' }> = {
  SeatsHeld: { from: 'new', to: 'HELD' },
  PaymentRequested: { from: ['HELD'], to: 'PAYMENT_PENDING' },
  BookingConfirmed: { from: ['PAYMENT_PENDING'], to: 'CONFIRMED' },
  BookingCancelled: { from: ['HELD', 'PAYMENT_PENDING'], to: 'CANCELLED' },
  BookingExpired: { from: ['HELD'], to: 'EXPIRED' },
  RefundRequested: { from: ['CANCELLED', 'EXPIRED'], to: 'unchanged' },
  BookingRefunded: { from: ['CONFIRMED'], to: 'REFUNDED' },
  SeatsComped: { from: 'new', to: 'CONFIRMED' },
};

/** A stream must be numbered 0, 1, 2, … in order; anything else means events are missing. */
function gapIn(events: readonly { streamVersion: number }[]): string | null {
  const at = events.findIndex((event, index) => event.streamVersion !== index);
  return at < 0 ? null : `streamVersion ${at} is missing (found ${events[at]!.streamVersion})`;
}

/** The state a booking stream (in streamVersion order) leaves, or why it cannot be read as one. */
export function foldBooking(events: readonly BookingStreamEvent[]): Fold<FoldedBooking> {
  const gap = gapIn(events);
  if (gap) return { kind: 'Unfoldable', reason: gap };
  let state: FoldedBooking | null = null;
  for (const event of events) {
    const step = BOOKING_STEPS[event.type];
    if (step.from === 'new') {
      if (state !== null) return { kind: 'Unfoldable', reason: `${event.type} at version ${event.streamVersion} of a booking already begun` };
      if (event.type === 'SeatsHeld') state = { status: 'HELD', seatIds: [...event.payload.seatIds].sort(), amount: event.payload.amount, version: event.streamVersion };
      else if (event.type === 'SeatsComped') state = { status: 'CONFIRMED', seatIds: [...event.payload.seatIds].sort(), amount: 0, version: event.streamVersion };
      else return { kind: 'Unfoldable', reason: `${event.type} cannot begin a booking` };
      continue;
    }
    if (state === null) return { kind: 'Unfoldable', reason: `${event.type} before SeatsHeld` };
    if (!step.from.includes(state.status)) return { kind: 'Unfoldable', reason: `${event.type} at version ${event.streamVersion} after ${state.status}` };
    state = { ...state, status: step.to === 'unchanged' ? state.status : step.to, version: event.streamVersion };
  }
  return state ? { kind: 'Folded', state } : { kind: 'Unfoldable', reason: 'no events' };
}

/**
 * A wallet's balance from its stream (in streamVersion order): + charged − debited + refunded,
 * from 0. Each event's `balanceAfter` must equal the fold up to it; a stream that does not start
 * at 0 began before wallet events existed, so its opening balance is not in the history.
 */
export function foldWallet(events: readonly WalletStreamEvent[]): Fold<FoldedWallet> {
  if (events.length === 0) return { kind: 'Unfoldable', reason: 'no events' };
  if (events[0]!.streamVersion !== 0) return { kind: 'Unfoldable', reason: `the stream starts at version ${events[0]!.streamVersion}: the opening balance is not in the history` };
  const gap = gapIn(events);
  if (gap) return { kind: 'Unfoldable', reason: gap };
  let balance = 0;
  for (const event of events) {
    balance += event.type === 'WalletDebited' ? -event.payload.amount : event.payload.amount;
    if (event.payload.balanceAfter !== balance) {
      return { kind: 'Unfoldable', reason: `${event.type} at version ${event.streamVersion} says balanceAfter ${event.payload.balanceAfter}, the fold says ${balance}` };
    }
  }
  return { kind: 'Folded', state: { balance, version: events.length } };
}
