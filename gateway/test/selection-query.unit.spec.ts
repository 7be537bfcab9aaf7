import {
  buildSchema,
  execute,
  parse,
  subscribe,
  validate,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
} from 'graphql';
import type { SeatsChanged } from '@ticketing/contracts';
import { bookingQueryFor } from '../src/realtime/fields/booking-updated.source';
import { scheduleResolutionFor, seatViews } from '../src/realtime/fields/seat-views';
import { markResponseShaped, responseKeyAwareFieldResolver } from '../src/realtime/response-shaped';
import { fieldsByResponseKey, mergeSelections } from '../src/realtime/selection-query';

/** The slice of the API schema these subscriptions touch. */
const schema = buildSchema(`
  enum BookingStatus { HELD PAYMENT_PENDING CONFIRMED CANCELLED EXPIRED }
  enum SeatStatus { AVAILABLE HELD SOLD }
  type Booking { id: ID! status: BookingStatus! amount: Int! seats: [Seat!]! schedule: Schedule! history: [BookingTransition!]! }
  type BookingTransition { status: BookingStatus! reason: String }
  type Schedule { id: ID! startsAt: String! availableSeatCount: Int! seats(status: SeatStatus): [Seat!]! }
  type Seat { id: ID! schedule: Schedule! section: String! row: String! number: Int! price: Int! status: SeatStatus! }
  type Query { booking(id: ID!): Booking schedule(id: ID!): Schedule }
  type Subscription { bookingUpdated(bookingId: ID!): Booking! seatsUpdated(scheduleId: ID!): [Seat!]! }
`);

const seat = (id: string, status: SeatsChanged['seats'][number]['status']) => ({ id, section: 'A', row: '1', number: Number(id), price: 1000, status });
const scheduleData = {
  id: 'sch-1',
  startsAt: '2030-05-01T19:00:00.000Z',
  availableSeatCount: 1,
  seats: ({ status }: { status?: string }) => [seat('1', 'SOLD'), seat('2', 'AVAILABLE')].filter((s) => !status || s.status === status),
};
const bookingData = {
  id: 'bk-1',
  status: 'HELD',
  amount: 2000,
  seats: [{ ...seat('1', 'SOLD'), schedule: scheduleData }],
  schedule: scheduleData,
  history: [{ status: 'HELD', reason: 'seats held' }],
};

/** What graphql-js hands a subscription's source: subscribe once and keep the resolve info. */
async function infoOf(field: 'bookingUpdated' | 'seatsUpdated', document: string, variables: Record<string, unknown> = {}) {
  expect(validate(schema, parse(document))).toEqual([]);
  let captured: GraphQLResolveInfo | undefined;
  const subscribeField: GraphQLFieldResolver<unknown, unknown> = (_root, _args, _context, info) => {
    captured = info;
    return (async function* () {})();
  };
  await subscribe({ schema, document: parse(document), variableValues: variables, subscribeFieldResolver: subscribeField });
  if (!captured) throw new Error(`${field} was not subscribed`);
  return captured;
}

/** What the subscriber receives for one payload: their selection executed over it, as the gateway does. */
async function deliver(document: string, variables: Record<string, unknown>, payload: unknown) {
  const stream = await subscribe({
    schema,
    document: parse(document),
    variableValues: variables,
    subscribeFieldResolver: () => (async function* () {
      yield payload;
    })(),
    fieldResolver: (source, args, context, info) =>
      info.parentType.name === 'Subscription' ? source : responseKeyAwareFieldResolver(source, args, context, info),
  });
  if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream));
  const first = await stream[Symbol.asyncIterator]().next();
  return first.value as ExecutionResult;
}

describe('the bookingUpdated re-fetch query is built from the subscriber’s selection', () => {
  const SUBSCRIPTION = `
    subscription Follow($id: ID!, $withHistory: Boolean!) {
      bookingUpdated(bookingId: $id) {
        state: status
        ...Places
        history @include(if: $withHistory) { reason }
      }
    }
    fragment Places on Booking { seats { section row } schedule { ...When sold: seats(status: SOLD) { id } all: seats { id } } }
    fragment When on Schedule { startsAt }`;

  it('given aliases, fragments and a variable, then the query is valid and carries only what the selection uses', async () => {
    const info = await infoOf('bookingUpdated', SUBSCRIPTION, { id: 'bk-1', withHistory: true });
    const query = bookingQueryFor(info, mergeSelections(info.fieldNodes));

    expect(validate(schema, parse(query.text))).toEqual([]);
    expect(query.text).toContain('query BookingForSubscription($withHistory: Boolean!, $realtimeId: ID!)');
    expect(query.text).toContain('bookingUpdatedGuard: booking(id: $realtimeId)');
    expect(query.text).toContain('fragment Places on Booking');
    expect(query.text).toContain('fragment When on Schedule');
    // The subscription's own argument is not part of the selection.
    expect(query.variables('bk-1')).toEqual({ withHistory: true, realtimeId: 'bk-1' });
  });

  it('given the answer, then the subscriber receives what a query with their selection would return, and not the guard fields', async () => {
    const variables = { id: 'bk-1', withHistory: false };
    const info = await infoOf('bookingUpdated', SUBSCRIPTION, variables);
    const query = bookingQueryFor(info, mergeSelections(info.fieldNodes));
    const answer = await execute({ schema, document: parse(query.text), rootValue: { booking: () => bookingData }, variableValues: query.variables('bk-1') });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.['bookingUpdatedGuard']).toEqual({ id: 'bk-1', status: 'HELD', history: [{ status: 'HELD' }] });

    const received = await deliver(SUBSCRIPTION, variables, markResponseShaped(answer.data?.['booking']));

    const direct = await execute({
      schema,
      document: parse(SUBSCRIPTION.replace('subscription Follow', 'query Follow').replace('bookingUpdated(bookingId: $id)', 'bookingUpdated: booking(id: $id)')),
      rootValue: { booking: () => bookingData },
      variableValues: variables,
    });
    expect(received).toEqual(direct);
    expect(received.data?.['bookingUpdated']).toEqual({
      state: 'HELD',
      seats: [{ section: 'A', row: '1' }],
      schedule: { startsAt: '2030-05-01T19:00:00.000Z', sold: [{ id: '1' }], all: [{ id: '1' }, { id: '2' }] },
    });
  });

  it('given a subscriber variable named like the id variable, then the id takes another name', async () => {
    const info = await infoOf(
      'bookingUpdated',
      'subscription($realtimeId: SeatStatus) { bookingUpdated(bookingId: "bk-1") { schedule { seats(status: $realtimeId) { id } } } }',
      { realtimeId: 'SOLD' },
    );
    const query = bookingQueryFor(info, mergeSelections(info.fieldNodes));
    expect(validate(schema, parse(query.text))).toEqual([]);
    expect(query.variables('bk-1')).toEqual({ realtimeId: 'SOLD', realtimeId2: 'bk-1' });
  });
});

describe('seatsUpdated answers Seat.schedule only as far as the selection asks', () => {
  const seatFieldsOf = (info: GraphQLResolveInfo) => fieldsByResponseKey(mergeSelections(info.fieldNodes), info.fragments);

  it('given plain seat fields through a fragment, then nothing is fetched and the seats come from the message', async () => {
    const document = 'subscription { seatsUpdated(scheduleId: "sch-1") { id ...Where state: status } } fragment Where on Seat { ... on Seat { section row } }';
    const info = await infoOf('seatsUpdated', document);
    const fields = seatFieldsOf(info);
    expect([...fields.keys()]).toEqual(['id', 'section', 'row', 'state']);
    expect(scheduleResolutionFor(fields, info, 'sch-1')).toEqual({ kind: 'none' });

    const received = await deliver(document, {}, seatViews([seat('7', 'HELD')], fields, {}));
    expect(received.data).toEqual({ seatsUpdated: [{ id: '7', section: 'A', row: '1', state: 'HELD' }] });
  });

  it('given only the schedule’s id (aliased), then it is answered from the subscription’s schedule id', async () => {
    const document = 'subscription { seatsUpdated(scheduleId: "sch-1") { id where: schedule { key: id __typename } } }';
    const info = await infoOf('seatsUpdated', document);
    const fields = seatFieldsOf(info);
    const resolution = scheduleResolutionFor(fields, info, 'sch-1');
    if (resolution.kind !== 'known') throw new Error(`expected known, got ${resolution.kind}`);

    const received = await deliver(document, {}, seatViews([seat('7', 'HELD')], fields, resolution.schedules));
    expect(received.data).toEqual({ seatsUpdated: [{ id: '7', where: { key: 'sch-1', __typename: 'Schedule' } }] });
  });

  it('given schedule fields twice under different aliases, then one query answers both', async () => {
    const document = `subscription($s: SeatStatus) {
      seatsUpdated(scheduleId: "sch-1") { status a: schedule { startsAt n: availableSeatCount } b: schedule { n: seats(status: $s) { id } } }
    }`;
    const info = await infoOf('seatsUpdated', document, { s: 'AVAILABLE' });
    const fields = seatFieldsOf(info);
    const resolution = scheduleResolutionFor(fields, info, 'sch-1');
    if (resolution.kind !== 'fetch') throw new Error(`expected fetch, got ${resolution.kind}`);
    expect(validate(schema, parse(resolution.query.text))).toEqual([]);

    const answer = await execute({
      schema,
      document: parse(resolution.query.text),
      rootValue: { schedule: () => scheduleData },
      variableValues: resolution.query.variables('sch-1'),
    });
    const received = await deliver(document, { s: 'AVAILABLE' }, seatViews([seat('7', 'HELD')], fields, markResponseShaped(answer.data ?? {})));
    expect(received.data).toEqual({
      seatsUpdated: [{ status: 'HELD', a: { startsAt: '2030-05-01T19:00:00.000Z', n: 1 }, b: { n: [{ id: '2' }] } }],
    });
  });
});
