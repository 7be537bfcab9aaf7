import { bookingChannels } from '@ticketing/contracts';
import { addSeats, admitFreely, admittedFan, chargeWallet, closeDatabases, holdSeats, openSchedule, payBooking } from '@ticketing/test-support';
import { closeClients, connect, expectEnded, nextOf, redisPrefix, untilSubscribed } from './subscription-client';

type SeatsPayload = { seatsUpdated: Array<{ id: string; status: string }> };

/** Reads seat pushes until every one of `seatIds` was last seen in `status` (however the catalog batches them). */
async function untilSeatsAre(updates: AsyncIterator<{ data?: SeatsPayload | null }>, seatIds: readonly string[], status: string) {
  const latest = new Map<string, string>();
  while (!seatIds.every((id) => latest.get(id) === status)) {
    for (const seat of (await nextOf(updates, `seats ${status}`, 30)).data?.seatsUpdated ?? []) latest.set(seat.id, seat.status);
  }
}

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

/**
 * The producers' side of both subscriptions for real: the booking write side and its realtime
 * relay (from `booking.events`), and the catalog's seat projection, through Kafka and Redis.
 */
describe('bookingUpdated and seatsUpdated fed by the saga', () => {
  it('follows a real hold through payment to CONFIRMED, and the seats from HELD to SOLD', async () => {
    const scheduleId = await openSchedule();
    const seatIds = await addSeats(scheduleId, 2, 40_000);
    await admitFreely(scheduleId);
    const fan = await admittedFan(scheduleId);
    await chargeWallet(fan, 100_000);

    const seats = connect().iterate<SeatsPayload>({ query: 'subscription($s: ID!) { seatsUpdated(scheduleId: $s) { id status } }', variables: { s: scheduleId } });
    await untilSubscribed(bookingChannels.seats(redisPrefix(), scheduleId));

    const { booking, response } = await holdSeats(fan, scheduleId, seatIds);
    if (!booking) throw new Error(`holdSeats failed: ${JSON.stringify(response.errors)}`);
    const follow = connect(fan.token).iterate<{ bookingUpdated: { status: string } }>({
      query: 'subscription($b: ID!) { bookingUpdated(bookingId: $b) { status } }',
      variables: { b: booking.id },
    });
    expect((await nextOf(follow, 'the held booking')).data?.bookingUpdated.status).toBe('HELD');
    await untilSeatsAre(seats, seatIds, 'HELD');

    const paid = await payBooking(fan, booking.id);
    expect(paid.code).toBeUndefined();
    const statuses: string[] = [];
    for (;;) {
      const next = await nextOf(follow, 'the booking moving on', 30);
      statuses.push(next.data!.bookingUpdated.status);
      if (next.data!.bookingUpdated.status === 'CONFIRMED') break;
    }
    // PAYMENT_PENDING may be overtaken by CONFIRMED before its own re-read: only newer states follow.
    expect(['PAYMENT_PENDING,CONFIRMED', 'CONFIRMED']).toContain(statuses.join(','));
    await expectEnded(follow);

    await untilSeatsAre(seats, seatIds, 'SOLD');
    await seats.return?.();
  });
});
