import { bookingChannels } from '@ticketing/contracts';
import { closeDatabases, gql, logInAdmin } from '@ticketing/test-support';
import { scheduleWithSeats, type CatalogSeat } from './booking-rows';
import { closeClients, connect, nextOf, redisPrefix, untilSubscribed } from './subscription-client';

type Seat = CatalogSeat & { status: string };

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

describe('seatsUpdated when an admin blocks and releases seats', () => {
  it('given a subscriber, when an admin blocks two seats and releases one, then it is pushed the seats BLOCKED, then the released one AVAILABLE', async () => {
    const { scheduleId, seats } = await scheduleWithSeats(3);
    const admin = await logInAdmin();
    const query = 'subscription Seats($s: ID!) { seatsUpdated(scheduleId: $s) { id section row number price status } }';
    const updates = connect().iterate<{ seatsUpdated: Seat[] }>({ query, variables: { s: scheduleId } });
    await untilSubscribed(bookingChannels.seats(redisPrefix(), scheduleId));
    const target = seats.slice(0, 2).map((seat) => seat.id);

    const blocked = await gql('mutation B($s: ID!, $seats: [ID!]!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: "VIP") { id } }', { s: scheduleId, seats: target }, { token: admin });
    expect(blocked.errors).toBeUndefined();
    const pushedBlocked = (await nextOf(updates, 'blocked seats')).data?.seatsUpdated ?? [];
    expect(pushedBlocked.map((seat) => [seat.id, seat.status]).sort()).toEqual(target.map((id) => [id, 'BLOCKED']).sort());

    const released = await gql('mutation R($s: ID!, $seats: [ID!]!) { releaseSeats(scheduleId: $s, seatIds: $seats) { id } }', { s: scheduleId, seats: [target[0]] }, { token: admin });
    expect(released.errors).toBeUndefined();
    expect((await nextOf(updates, 'released seat')).data?.seatsUpdated.map((seat) => [seat.id, seat.status])).toEqual([[target[0], 'AVAILABLE']]);
    await updates.return?.();
  });
});
