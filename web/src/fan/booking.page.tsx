import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError, messageOf, onResync, request, subscribe } from '../api/client';
import { graphql } from '../generated';
import type { BookingQuery } from '../generated/graphql';
import { Link } from '../router';
import { dateTime, money, newKey } from '../ui/format';
import { Countdown, Loading, Problem, useNow } from '../ui/widgets';
import { seatLabel } from './seat-map.model';

const Booking = graphql(`
  query Booking($id: ID!) {
    booking(id: $id) {
      id status amount heldUntil createdAt
      seats { id section row number price }
      schedule { id startsAt refundCutoffHours concert { title } }
      history { status at reason }
      timeline { eventId at summary service }
    }
    me { id wallet { balance } }
  }
`);

const BookingUpdated = graphql(`
  subscription BookingUpdated($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status heldUntil history { status at reason } } }
`);

const ChargeWallet = graphql(`
  mutation ChargeWallet($amount: Int!, $idempotencyKey: String!) { chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance } }
`);

const PayBooking = graphql(`
  mutation PayBooking($bookingId: ID!, $idempotencyKey: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $idempotencyKey) { id status } }
`);

const CancelBooking = graphql(`
  mutation CancelBooking($bookingId: ID!) { cancelBooking(bookingId: $bookingId) { id status } }
`);

const RefundBooking = graphql(`
  mutation RefundBooking($bookingId: ID!, $reason: String!) { refundBooking(bookingId: $bookingId, reason: $reason) { id status } }
`);

type LoadedBooking = NonNullable<BookingQuery['booking']>;

const STATUS_TEXT: Record<LoadedBooking['status'], string> = {
  HELD: 'Held for you',
  PAYMENT_PENDING: 'Payment in progress…',
  CONFIRMED: 'Confirmed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired: the hold ran out',
  REFUNDED: 'Refunded',
};

/** One booking: countdown, wallet and payment while HELD, the saga live, the timeline, cancel or refund. */
export function BookingPage({ bookingId }: { bookingId: string }) {
  const [booking, setBooking] = useState<LoadedBooking | null>(null);
  const [balance, setBalance] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per intent on this page: a double click or a retry after a timeout pays once.
  const payKey = useMemo(() => newKey('pay'), []);
  const now = useNow();

  const read = useCallback(async () => {
    try {
      const { booking: loaded, me } = await request(Booking, { id: bookingId });
      if (!loaded) throw new ApiError({ code: 'NOT_FOUND' });
      setBooking(loaded);
      setBalance(me?.wallet.balance ?? null);
    } catch (error) {
      setProblem(messageOf(error));
    }
  }, [bookingId]);

  useEffect(() => void read(), [read]);
  useEffect(() => onResync(() => void read()), [read]);
  // Each push is a status change; the timeline (history subgraph) is read again with it.
  useEffect(
    () =>
      subscribe(
        BookingUpdated,
        { bookingId },
        {
          next: ({ bookingUpdated }) => {
            setBooking((current) => (current ? { ...current, ...bookingUpdated } : current));
            void read();
          },
          complete: () => void read(),
        },
      ),
    [bookingId, read],
  );

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      await read();
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  if (!booking) return problem ? <Problem message={problem} /> : <Loading what="the booking" />;
  const refundBefore = new Date(new Date(booking.schedule.startsAt).getTime() - booking.schedule.refundCutoffHours * 3600_000);
  // A payment the wallet cannot cover fails in the saga and cancels the hold: refuse it here first.
  const canPay = balance !== null && balance >= booking.amount;
  const held = booking.status === 'HELD' && booking.heldUntil !== null && booking.heldUntil !== undefined && new Date(booking.heldUntil) > now;

  return (
    <section aria-labelledby="booking-title">
      <h1 id="booking-title">{booking.schedule.concert.title}</h1>
      <p className="muted">
        <time dateTime={booking.schedule.startsAt}>{dateTime(booking.schedule.startsAt)}</time> · {money(booking.amount)}
      </p>
      <p className={`status ${booking.status.toLowerCase()}`} data-testid="booking-status" data-status={booking.status} role="status">
        {STATUS_TEXT[booking.status]}
      </p>
      <ul className="seat-list" aria-label="Seats">
        {booking.seats.map((seat) => (
          <li key={seat.id}>
            {seatLabel(seat)} · {money(seat.price)}
          </li>
        ))}
      </ul>
      <Problem message={problem} />
      {held && booking.heldUntil && (
        <div className="panel">
          <Countdown until={booking.heldUntil} label="Pay before the hold ends in" />
          <p>
            Wallet balance: <strong data-testid="wallet-balance">{balance === null ? '…' : money(balance)}</strong>
          </p>
          {!canPay && (
            <p id="top-up-first">Top up your wallet by at least {money(booking.amount - (balance ?? 0))} to pay.</p>
          )}
          <TopUp suggested={Math.max(0, booking.amount - (balance ?? 0))} busy={busy} onTopUp={(amount) => act(() => request(ChargeWallet, { amount, idempotencyKey: newKey('top-up') }))} />
          <div className="actions">
            <button type="button" disabled={busy || !canPay} aria-describedby={canPay ? undefined : 'top-up-first'} onClick={() => void act(() => request(PayBooking, { bookingId, idempotencyKey: payKey }))}>
              Pay {money(booking.amount)}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => void act(() => request(CancelBooking, { bookingId }))}>
              Cancel booking
            </button>
          </div>
        </div>
      )}
      {booking.status === 'CONFIRMED' &&
        (now < refundBefore ? (
          <RefundForm busy={busy} refundBefore={refundBefore} onRefund={(reason) => act(() => request(RefundBooking, { bookingId, reason }))} />
        ) : (
          <p className="muted">Refunds closed {dateTime(refundBefore.toISOString())}.</p>
        ))}
      <h2>Timeline</h2>
      {booking.timeline.length === 0 ? (
        <p className="muted">No events recorded yet.</p>
      ) : (
        <ol className="timeline" aria-label="Timeline">
          {booking.timeline.map((entry) => (
            <li key={entry.eventId}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time> {entry.summary} <span className="muted">({entry.service})</span>
            </li>
          ))}
        </ol>
      )}
      <p>
        <Link href="/bookings">All my bookings</Link>
      </p>
    </section>
  );
}

function TopUp({ suggested, busy, onTopUp }: { suggested: number; busy: boolean; onTopUp: (amount: number) => Promise<void> }) {
  const [amount, setAmount] = useState(String(suggested || 10_000));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onTopUp(Number(amount));
  };
  return (
    <form className="inline" onSubmit={submit}>
      <label>
        Top-up amount (KRW)
        <input name="amount" type="number" min={1} step={1} required value={amount} onChange={(event) => setAmount(event.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Top up wallet
      </button>
    </form>
  );
}

function RefundForm({ busy, refundBefore, onRefund }: { busy: boolean; refundBefore: Date; onRefund: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onRefund(reason);
  };
  return (
    <form className="panel" onSubmit={submit}>
      <label>
        Reason for the refund
        <input name="reason" required maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        Request a refund
      </button>
      <p className="muted">Refunds are possible until {dateTime(refundBefore.toISOString())}.</p>
    </form>
  );
}
