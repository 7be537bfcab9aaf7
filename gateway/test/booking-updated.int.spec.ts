import { bookingChannels } from '@ticketing/contracts';
import { closeDatabases, errorCode, logInAdmin, signUpFan } from '@ticketing/test-support';
import { insertHeldBooking, scheduleWithSeats, transitionBooking } from './booking-rows';
import { closeClients, connect, expectEnded, nextOf, publish, redisPrefix } from './subscription-client';

const FOLLOW = 'subscription Follow($id: ID!) { bookingUpdated(bookingId: $id) { id status history { status } } }';

interface Followed {
  bookingUpdated: { id: string; status: string; history: Array<{ status: string }> };
}
interface Payload<T = Followed> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}

const channelOf = (bookingId: string) => bookingChannels.booking(redisPrefix(), bookingId);

/** What the booking subgraph's relay publishes after a transition. */
const changed = (bookingId: string, status: string, version: number) => ({ bookingId, status, version, at: new Date().toISOString() });

/** Moves the booking in its database, then announces it on the channel, as the write side and its relay do. */
async function move(bookingId: string, status: 'PAYMENT_PENDING' | 'CONFIRMED' | 'CANCELLED' | 'EXPIRED', reason = status.toLowerCase()) {
  const version = await transitionBooking(bookingId, status, reason);
  await publish(channelOf(bookingId), changed(bookingId, status, version));
  return version;
}

async function heldBookingOfNewFan(seatCount = 2) {
  const fan = await signUpFan();
  const { scheduleId, seats } = await scheduleWithSeats(seatCount);
  const bookingId = await insertHeldBooking(fan.id, scheduleId, seats);
  return { fan, scheduleId, seats, bookingId };
}

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

describe('bookingUpdated over the gateway WebSocket', () => {
  it('gives the owner the booking now, then each status change in order, and ends after the final one', async () => {
    const { fan, bookingId } = await heldBookingOfNewFan();
    const updates = connect(fan.token).iterate<Followed>({ query: FOLLOW, variables: { id: bookingId } });

    const now = await nextOf(updates, 'the booking now');
    expect(now.data?.bookingUpdated).toEqual({ id: bookingId, status: 'HELD', history: [{ status: 'HELD' }] });

    await move(bookingId, 'PAYMENT_PENDING');
    expect((await nextOf(updates, 'payment pending')).data?.bookingUpdated.status).toBe('PAYMENT_PENDING');

    await move(bookingId, 'CONFIRMED');
    const confirmed = await nextOf(updates, 'confirmation');
    expect(confirmed.data?.bookingUpdated).toMatchObject({
      status: 'CONFIRMED',
      history: [{ status: 'HELD' }, { status: 'PAYMENT_PENDING' }, { status: 'CONFIRMED' }],
    });
    await expectEnded(updates);
  });

  it('pushes nothing for stale or repeated versions', async () => {
    const { fan, bookingId } = await heldBookingOfNewFan();
    const updates = connect(fan.token).iterate<Followed>({ query: FOLLOW, variables: { id: bookingId } });
    expect((await nextOf(updates, 'the booking now')).data?.bookingUpdated.status).toBe('HELD');

    // Stale: the hold itself (version 0) announced again, twice.
    await publish(channelOf(bookingId), changed(bookingId, 'HELD', 0));
    await publish(channelOf(bookingId), changed(bookingId, 'HELD', 0));
    // Repeated: one change announced three times (at-least-once relays do that).
    const version = await move(bookingId, 'PAYMENT_PENDING');
    await publish(channelOf(bookingId), changed(bookingId, 'PAYMENT_PENDING', version));
    await publish(channelOf(bookingId), changed(bookingId, 'PAYMENT_PENDING', version));
    expect((await nextOf(updates, 'payment pending')).data?.bookingUpdated.status).toBe('PAYMENT_PENDING');

    // Had any of the above pushed again, it would come before this.
    await move(bookingId, 'CANCELLED', 'payment failed: declined');
    expect((await nextOf(updates, 'cancellation')).data?.bookingUpdated.status).toBe('CANCELLED');
    await expectEnded(updates);
  });

  it('pushes a status-only selection (aliases kept) straight from the message, with no re-read', async () => {
    const { fan, bookingId } = await heldBookingOfNewFan();
    const WATCH = 'subscription Watch($id: ID!) { bookingUpdated(bookingId: $id) { id state: status status amount } }';
    type Watched = { bookingUpdated: { id: string; state: string; status: string; amount: number } };
    const updates = connect(fan.token).iterate<Watched>({ query: WATCH, variables: { id: bookingId } });
    const now = (await nextOf(updates, 'the booking now')).data?.bookingUpdated;
    expect(now).toMatchObject({ id: bookingId, state: 'HELD', status: 'HELD' });

    // Announced but not written: a re-read would still find HELD and push nothing, so the
    // push below can only have come from the message itself.
    await publish(channelOf(bookingId), changed(bookingId, 'PAYMENT_PENDING', 1));
    expect((await nextOf(updates, 'payment pending')).data?.bookingUpdated).toEqual({ id: bookingId, state: 'PAYMENT_PENDING', status: 'PAYMENT_PENDING', amount: now?.amount });

    await publish(channelOf(bookingId), changed(bookingId, 'PAYMENT_PENDING', 1));
    await publish(channelOf(bookingId), changed(bookingId, 'CONFIRMED', 2));
    expect((await nextOf(updates, 'confirmation')).data?.bookingUpdated.status).toBe('CONFIRMED');
    await expectEnded(updates);
  });

  it('ignores malformed messages and keeps going', async () => {
    const { fan, bookingId } = await heldBookingOfNewFan();
    const updates = connect(fan.token).iterate<Followed>({ query: FOLLOW, variables: { id: bookingId } });
    expect((await nextOf(updates, 'the booking now')).data?.bookingUpdated.status).toBe('HELD');

    await publish(channelOf(bookingId), 'not json {');
    await publish(channelOf(bookingId), { bookingId, status: 'TELEPORTED', version: 9, at: new Date().toISOString() });
    await publish(channelOf(bookingId), { bookingId, version: 'nine' });

    await move(bookingId, 'EXPIRED', 'hold expired before payment');
    expect((await nextOf(updates, 'expiry')).data?.bookingUpdated.status).toBe('EXPIRED');
    await expectEnded(updates);
  });

  it('answers the subscriber’s own selection, with fields from the concert and user subgraphs', async () => {
    const { fan, scheduleId, seats, bookingId } = await heldBookingOfNewFan(2);
    const query = `
      subscription Follow($id: ID!, $withHistory: Boolean!) {
        bookingUpdated(bookingId: $id) {
          state: status
          amount
          ...Where
          owner: user { id }
          history @include(if: $withHistory) { status reason }
        }
      }
      fragment Where on Booking {
        seats { section row number price }
        schedule { id startsAt }
      }`;
    type Selected = {
      bookingUpdated: {
        state: string;
        amount: number;
        seats: Array<{ section: string; row: string; number: number; price: number }>;
        schedule: { id: string; startsAt: string };
        owner: { id: string };
        history: Array<{ status: string; reason: string | null }>;
      };
    };
    const updates = connect(fan.token).iterate<Selected>({ query, variables: { id: bookingId, withHistory: true } });

    const now = await nextOf(updates, 'the booking now');
    expect(now.errors).toBeUndefined();
    expect(now.data?.bookingUpdated).toEqual({
      state: 'HELD',
      amount: seats[0]!.price + seats[1]!.price,
      seats: expect.arrayContaining(seats.map(({ section, row, number, price }) => ({ section, row, number, price }))),
      schedule: { id: scheduleId, startsAt: expect.any(String) },
      owner: { id: fan.id },
      history: [{ status: 'HELD', reason: 'seats held' }],
    });
    // Exactly the selection: the guard fields the gateway fetches for itself do not leak.
    expect(Object.keys(now.data!.bookingUpdated).sort()).toEqual(['amount', 'history', 'owner', 'schedule', 'seats', 'state']);

    await move(bookingId, 'CANCELLED', 'cancelled by the fan');
    const cancelled = await nextOf(updates, 'cancellation');
    expect(cancelled.data?.bookingUpdated).toMatchObject({
      state: 'CANCELLED',
      history: [
        { status: 'HELD', reason: 'seats held' },
        { status: 'CANCELLED', reason: 'cancelled by the fan' },
      ],
    });
    await expectEnded(updates);
  });

  it('gives a booking that has already ended once, then ends', async () => {
    const { fan, bookingId } = await heldBookingOfNewFan();
    await transitionBooking(bookingId, 'EXPIRED', 'hold expired before payment');
    const updates = connect(fan.token).iterate<Followed>({ query: FOLLOW, variables: { id: bookingId } });
    expect((await nextOf(updates, 'the ended booking')).data?.bookingUpdated.status).toBe('EXPIRED');
    await expectEnded(updates);
  });

  it('follows a booking asked for by its id in upper case: the channel comes from the answer, and every change arrives', async () => {
    const { fan, bookingId } = await heldBookingOfNewFan();
    const updates = connect(fan.token).iterate<Followed>({ query: FOLLOW, variables: { id: bookingId.toUpperCase() } });
    expect((await nextOf(updates, 'the booking now')).data?.bookingUpdated).toMatchObject({ id: bookingId, status: 'HELD' });

    await move(bookingId, 'PAYMENT_PENDING');
    expect((await nextOf(updates, 'payment pending')).data?.bookingUpdated.status).toBe('PAYMENT_PENDING');
    await move(bookingId, 'CONFIRMED');
    expect((await nextOf(updates, 'confirmation')).data?.bookingUpdated.status).toBe('CONFIRMED');
    await expectEnded(updates);
  });

  it('follows any booking for an admin', async () => {
    const { bookingId } = await heldBookingOfNewFan();
    const updates = connect(await logInAdmin()).iterate<Followed>({ query: FOLLOW, variables: { id: bookingId } });
    expect((await nextOf(updates, 'the booking now')).data?.bookingUpdated.id).toBe(bookingId);
    await updates.return?.();
  });

  it("refuses another fan's booking with NOT_FOUND, exactly like a missing one, and gives nothing of it", async () => {
    const { bookingId } = await heldBookingOfNewFan();
    const other = await signUpFan();
    for (const id of [bookingId, '00000000-0000-4000-8000-000000000000']) {
      const updates = connect(other.token).iterate<Followed>({ query: FOLLOW, variables: { id } });
      const refused: Payload = await nextOf(updates, 'refusal');
      expect(refused.data ?? null).toBeNull();
      expect(errorCode({ status: 200, errors: refused.errors as never })).toBe('NOT_FOUND');
      expect(refused.errors?.[0]?.message).toBe('Booking not found');
      await expectEnded(updates);
    }
  });

  it('refuses an anonymous subscriber with UNAUTHENTICATED', async () => {
    const { bookingId } = await heldBookingOfNewFan();
    const updates = connect().iterate<Followed>({ query: FOLLOW, variables: { id: bookingId } });
    const refused: Payload = await nextOf(updates, 'refusal');
    expect(refused.data ?? null).toBeNull();
    expect(errorCode({ status: 200, errors: refused.errors as never })).toBe('UNAUTHENTICATED');
  });
});
