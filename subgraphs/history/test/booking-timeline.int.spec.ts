import {
  addSeats,
  admitFreely,
  admittedFan,
  bookingReaches,
  chargeWallet,
  errorCode,
  eventually,
  gql,
  holdSeats,
  logInAdmin,
  openSchedule,
  payBooking,
  signUpFan,
  testSystem,
  type AdmittedFan,
} from '@ticketing/test-support';

/*
 * A real purchase through the gateway (hold → pay → confirmed by the saga), then its history as
 * the history subgraph serves it: the timeline for its owner and admins, the raw stream for admins.
 */
const PRICE = 165_000;
const TIMELINE = 'query T($id: ID!) { booking(id: $id) { id timeline { at type service summary eventId } } }';
const STREAM = `query S($type: String!, $id: ID!, $first: Int, $after: String) {
  streamEvents(streamType: $type, streamId: $id, first: $first, after: $after) {
    nodes { position eventId type schemaVersion streamType streamId streamVersion occurredAt recordedAt correlationId causationId payload }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SAGA = ['SeatsHeld', 'PaymentRequested', 'PaymentCompleted', 'BookingConfirmed'];

interface Line {
  at: string;
  type: string;
  service: string;
  summary: string;
  eventId: string;
}

let fan: AdmittedFan;
let admin: string;
let bookingId: string;

const timelineOf = (token: string, id = bookingId) => gql<{ booking: { id: string; timeline: Line[] } | null }>(TIMELINE, { id }, { token });

beforeAll(async () => {
  const scheduleId = await openSchedule();
  const seats = await addSeats(scheduleId, 2, PRICE);
  await admitFreely(scheduleId);
  admin = await logInAdmin();
  fan = await admittedFan(scheduleId);
  await chargeWallet(fan, 2 * PRICE);
  const held = await holdSeats(fan, scheduleId, seats);
  if (!held.booking) throw new Error(`hold failed: ${JSON.stringify(held.response.errors)}`);
  bookingId = held.booking.id;
  expect((await payBooking(fan, bookingId)).code).toBeUndefined();
  await bookingReaches(fan, bookingId, ['CONFIRMED']);
});

describe('Booking.timeline', () => {
  it('given a confirmed purchase, then its owner reads held, payment requested, payment completed and confirmed, each told by its service', async () => {
    const lines = await eventually(
      async () => {
        const response = await timelineOf(fan.token);
        const timeline = response.data?.booking?.timeline ?? [];
        return SAGA.every((type) => timeline.some((line) => line.type === type)) && timeline;
      },
      30_000,
      'the saga in the timeline',
    );

    expect(lines.map((line) => line.type)).toEqual(SAGA);
    expect(lines.map((line) => [line.service, line.summary])).toEqual([
      ['booking', '2 seats held for 330,000'],
      ['booking', 'Payment of 330,000 requested'],
      ['payment', 'Payment completed: 330,000'],
      ['booking', 'Booking confirmed: 2 seats for 330,000'],
    ]);
    expect(new Set(lines.map((line) => line.eventId)).size).toBe(4);
    expect(lines.every((line) => !Number.isNaN(Date.parse(line.at)))).toBe(true);
  });

  it('given an admin, then they read the same timeline', async () => {
    const mine = (await timelineOf(fan.token)).data?.booking?.timeline;

    const response = await timelineOf(admin);

    expect(response.errors).toBeUndefined();
    expect(response.data?.booking?.timeline).toEqual(mine);
  });

  it('given another fan, then the gateway answers NOT_FOUND and none of the lines', async () => {
    const stranger = await signUpFan();

    const response = await timelineOf(stranger.token);

    expect(errorCode(response)).toBe('NOT_FOUND');
    expect(JSON.stringify(response.data ?? null)).not.toContain('held for');
  });

  it('given another fan asking the history subgraph directly for the entity, then it answers FORBIDDEN and none of the lines', async () => {
    const stranger = await signUpFan();

    const response = await gql<{ _entities: Array<{ timeline: Line[] } | null> }>(
      'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Booking { timeline { summary } } } }',
      { r: [{ __typename: 'Booking', id: bookingId }] },
      { token: stranger.token, url: `${testSystem().serviceUrls['history']}/graphql` },
    );

    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(JSON.stringify(response.data ?? null)).not.toContain('held for');
  });
});

describe('streamEvents', () => {
  it('given an admin, then the booking stream comes straight from the store in version order, a page at a time', async () => {
    await eventually(async () => ((await gql<{ streamEvents: { nodes: unknown[] } }>(STREAM, { type: 'booking', id: bookingId }, { token: admin })).data?.streamEvents.nodes.length ?? 0) >= 3);

    const firstPage = await gql<{ streamEvents: { nodes: Array<Record<string, unknown>>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      STREAM,
      { type: 'booking', id: bookingId, first: 2 },
      { token: admin },
    );
    const rest = await gql<{ streamEvents: { nodes: Array<Record<string, unknown>>; pageInfo: { hasNextPage: boolean } } }>(
      STREAM,
      { type: 'booking', id: bookingId, first: 2, after: firstPage.data?.streamEvents.pageInfo.endCursor },
      { token: admin },
    );

    expect(firstPage.errors).toBeUndefined();
    const nodes = [...firstPage.data!.streamEvents.nodes, ...rest.data!.streamEvents.nodes];
    expect(firstPage.data!.streamEvents.pageInfo.hasNextPage).toBe(true);
    expect(rest.data!.streamEvents.pageInfo.hasNextPage).toBe(false);
    expect(nodes.map((node) => [node['type'], node['streamVersion']])).toEqual([
      ['SeatsHeld', 0],
      ['PaymentRequested', 1],
      ['BookingConfirmed', 2],
    ]);
    expect(nodes[0]).toMatchObject({ streamType: 'booking', streamId: bookingId, schemaVersion: 1, payload: { bookingId, userId: fan.id, amount: 2 * PRICE } });
    expect(nodes.every((node) => /^[1-9]\d*$/.test(String(node['position'])))).toBe(true);
  });

  it('given a fan, then it is FORBIDDEN', async () => {
    const response = await gql(STREAM, { type: 'booking', id: bookingId }, { token: fan.token });

    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.data?.['streamEvents'] ?? null).toBeNull();
  });

  it('given a stream type that is not an aggregate, or a cursor that is not ours, then it is BAD_USER_INPUT', async () => {
    expect(errorCode(await gql(STREAM, { type: 'wallets', id: bookingId }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(STREAM, { type: 'booking', id: bookingId, after: 'abc' }, { token: admin }))).toBe('BAD_USER_INPUT');
  });
});
