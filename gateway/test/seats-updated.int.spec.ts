import { randomUUID } from 'node:crypto';
import { bookingChannels } from '@ticketing/contracts';
import { closeDatabases, errorCode, signUpFan } from '@ticketing/test-support';
import { scheduleWithSeats, type CatalogSeat } from './booking-rows';
import { closeClients, connect, nextOf, publish, redisPrefix, untilSubscribed } from './subscription-client';

const channelOf = (scheduleId: string) => bookingChannels.seats(redisPrefix(), scheduleId);

/** What the concert subgraph publishes after it applied a change: the changed seats whole. */
const seatsChanged = (scheduleId: string, seats: ReadonlyArray<CatalogSeat & { status: string }>) => ({
  scheduleId,
  seats,
  at: new Date().toISOString(),
});

interface Payload<T> {
  data?: T | null;
  errors?: ReadonlyArray<{ message: string; extensions?: { code?: string } }>;
}
type Seat = CatalogSeat & { status: string };

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

describe('seatsUpdated over the gateway WebSocket', () => {
  it('pushes the changed seats of each message to an anonymous subscriber, in order', async () => {
    const { scheduleId, seats } = await scheduleWithSeats(3);
    const query = 'subscription Seats($s: ID!) { seatsUpdated(scheduleId: $s) { id section row number price status } }';
    const updates = connect().iterate<{ seatsUpdated: Seat[] }>({ query, variables: { s: scheduleId } });
    await untilSubscribed(channelOf(scheduleId));

    const held = seats.slice(0, 2).map((seat) => ({ ...seat, status: 'HELD' }));
    await publish(channelOf(scheduleId), seatsChanged(scheduleId, held));
    const sold = [{ ...seats[0]!, status: 'SOLD' }];
    await publish(channelOf(scheduleId), seatsChanged(scheduleId, sold));

    expect((await nextOf(updates, 'held seats')).data?.seatsUpdated).toEqual(held);
    expect((await nextOf(updates, 'sold seat')).data?.seatsUpdated).toEqual(sold);
    await updates.return?.();
  });

  it('resolves Seat.schedule when selected, through the concert subgraph', async () => {
    const { scheduleId, seats } = await scheduleWithSeats(3, 1);
    const query = `subscription Seats($s: ID!) {
      seatsUpdated(scheduleId: $s) { number state: status schedule { id startsAt availableSeatCount } where: schedule { key: id } }
    }`;
    type Selected = {
      seatsUpdated: Array<{ number: number; state: string; schedule: { id: string; startsAt: string; availableSeatCount: number }; where: { key: string } }>;
    };
    const fan = await signUpFan();
    const updates = connect(fan.token).iterate<Selected>({ query, variables: { s: scheduleId } });
    await untilSubscribed(channelOf(scheduleId));

    await publish(channelOf(scheduleId), seatsChanged(scheduleId, [{ ...seats[0]!, status: 'SOLD' }]));
    const pushed: Payload<Selected> = await nextOf(updates, 'seat with its schedule');
    expect(pushed.errors).toBeUndefined();
    expect(pushed.data?.seatsUpdated).toEqual([
      {
        number: 1,
        state: 'SOLD',
        // The catalog's own answer: 3 seats of which the first was inserted SOLD.
        schedule: { id: scheduleId, startsAt: expect.any(String), availableSeatCount: 2 },
        where: { key: scheduleId },
      },
    ]);
    await updates.return?.();
  });

  it('ignores malformed messages and keeps going', async () => {
    const { scheduleId, seats } = await scheduleWithSeats(1);
    const query = 'subscription Seats($s: ID!) { seatsUpdated(scheduleId: $s) { id status } }';
    const updates = connect().iterate<{ seatsUpdated: Array<{ id: string; status: string }> }>({ query, variables: { s: scheduleId } });
    await untilSubscribed(channelOf(scheduleId));

    await publish(channelOf(scheduleId), '{"scheduleId":');
    await publish(channelOf(scheduleId), seatsChanged(scheduleId, []));
    await publish(channelOf(scheduleId), seatsChanged(scheduleId, [{ ...seats[0]!, status: 'RESERVED' }]));
    await publish(channelOf(scheduleId), seatsChanged(randomUUID(), [{ ...seats[0]!, status: 'SOLD' }]));
    await publish(channelOf(scheduleId), seatsChanged(scheduleId, [{ ...seats[0]!, status: 'HELD' }]));

    expect((await nextOf(updates, 'the valid message')).data?.seatsUpdated).toEqual([{ id: seats[0]!.id, status: 'HELD' }]);
    await updates.return?.();
  });

  it('refuses an unknown schedule with NOT_FOUND', async () => {
    for (const scheduleId of [randomUUID(), 'not-a-schedule']) {
      const updates = connect().iterate({ query: 'subscription($s: ID!) { seatsUpdated(scheduleId: $s) { id } }', variables: { s: scheduleId } });
      const refused: Payload<unknown> = await nextOf(updates, 'refusal');
      expect(refused.data ?? null).toBeNull();
      expect(errorCode({ status: 200, errors: refused.errors as never })).toBe('NOT_FOUND');
    }
  });
});
