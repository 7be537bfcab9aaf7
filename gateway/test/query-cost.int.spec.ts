import { closeDatabases, gql, openSchedule, testSystem, type GraphQLResponse } from '@ticketing/test-support';
import { closeClients, connect } from './subscription-client';

/** The recursive path a seat map opens: every seat's schedule has every seat again (90 bytes). */
const SEATS_OF_SEATS = (id: string) => `{ schedule(id:"${id}") { seats { schedule { seats { schedule { seats { id } } } } } } }`;
const concertUrl = () => `${testSystem().serviceUrls['concert']}/graphql`;

const refusal = (response: GraphQLResponse<unknown>) => ({
  status: response.status,
  code: response.errors?.[0]?.extensions?.code,
  limit: response.errors?.[0]?.extensions?.['limit'],
});

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

describe('query cost through the real gateway and subgraphs', () => {
  let scheduleId: string;
  beforeAll(async () => {
    scheduleId = await openSchedule();
  });

  it('answers a seat map', async () => {
    const seatMap = await gql(`{ schedule(id: "${scheduleId}") { id seats { id section row number price status } } }`);
    expect(seatMap).toMatchObject({ status: 200, data: { schedule: { id: scheduleId } } });
    expect(seatMap.errors).toBeUndefined();
  });

  it('refuses seats of seats at the gateway with a 400 and a code, not a 500', async () => {
    expect(refusal(await gql(SEATS_OF_SEATS(scheduleId)))).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' });
  });

  it('refuses the same query sent straight to the concert subgraph port', async () => {
    expect(refusal(await gql(SEATS_OF_SEATS(scheduleId), {}, { url: concertUrl() }))).toEqual({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'cost',
    });
  });

  it('prices a subgraph entity fetch by its representations: a few pass, a flood is refused', async () => {
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Schedule { id seats { id status } } } }';
    const schedules = (n: number) => Array.from({ length: n }, () => ({ __typename: 'Schedule', id: scheduleId }));
    const few = await gql(entities, { r: schedules(2) }, { url: concertUrl() });
    expect(few.status).toBe(200);
    expect(few.errors).toBeUndefined();
    expect(refusal(await gql(entities, { r: schedules(200) }, { url: concertUrl() }))).toMatchObject({ status: 400, limit: 'cost' });
  });

  it('prices first: $first by its value: 10 passes, 10000 is refused', async () => {
    const concerts = 'query($first: Int) { concerts(first: $first) { nodes { id title schedules { id startsAt availableSeatCount } } } }';
    const page = await gql(concerts, { first: 10 });
    expect(page.status).toBe(200);
    expect(page.errors).toBeUndefined();
    expect(refusal(await gql(concerts, { first: 10000 }))).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' });
  });

  it('refuses fragment fan-out (2^30 fields) at once with a 400', async () => {
    const parts = ['fragment A0 on Query { __typename } fragment B0 on Query { __typename }'];
    for (let i = 1; i <= 30; i += 1) parts.push(`fragment A${i} on Query { ...A${i - 1} ...B${i - 1} } fragment B${i} on Query { ...A${i - 1} ...B${i - 1} }`);
    const document = `${parts.join(' ')} query { ...A30 ...B30 }`;
    expect(refusal(await gql(document))).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED', limit: 'selections' });
    expect(refusal(await gql(document, {}, { url: concertUrl() }))).toMatchObject({ status: 400, limit: 'selections' });
  });

  it('applies the same cost to subscriptions over WebSocket', async () => {
    const subscription = `subscription { seatsUpdated(scheduleId: "${scheduleId}") { schedule { seats { schedule { seats { id } } } } } }`;
    const iterator = connect().iterate({ query: subscription });
    await expect(iterator.next()).rejects.toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }) }),
    ]);
  });
});
