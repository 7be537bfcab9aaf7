import { ApolloGateway } from '@apollo/gateway';
import { getIntrospectionQuery, parse, visit, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { checkOperation, queryLimitsFromConfig } from '@ticketing/platform';
import { gatewayConfigSchema } from '../src/config';
import { composeSupergraph, subgraphUrls } from '../src/supergraph';

const config = gatewayConfigSchema.parse({ NODE_ENV: 'test', JWT_SECRET: 'unit-test-secret-long-enough' });
const limits = queryLimitsFromConfig(config);
let schema: GraphQLSchema;

beforeAll(async () => {
  // The gateway's own API schema, composed from the subgraphs' files (no subgraph is called).
  schema = (await new ApolloGateway({ supergraphSdl: composeSupergraph(subgraphUrls(config)) }).load()).schema;
});

const refusalsOf = (document: string | DocumentNode, variables: Record<string, unknown> = {}) =>
  checkOperation(schema, typeof document === 'string' ? parse(document) : document, { variables }, limits, { production: false }).map((e) => ({
    code: e.extensions['code'],
    limit: e.extensions['limit'],
    message: e.message,
  }));

const SCHEDULE = '5c4ed000-0000-4000-8000-000000000011';

describe('the gateway schema under the default limits', () => {
  it.each([
    // README "Try it"
    ['signUp', 'mutation { signUp(input: { email: "fan@example.com", password: "long-enough", name: "Fan" }) { token user { id } } }'],
    ['chargeWallet', 'mutation { chargeWallet(amount: 200000, idempotencyKey: "top-up-1") { balance } }'],
    ['me', 'query { me { id email wallet { balance } } }'],
    ['concerts', 'query { concerts(first: 10) { nodes { id title schedules { id startsAt bookingOpensAt availableSeatCount } } pageInfo { hasNextPage endCursor } } }'],
    ['enterQueue', `mutation { enterQueue(scheduleId: "${SCHEDULE}") { token status position estimatedWaitSeconds } }`],
    ['holdSeats', `mutation { holdSeats(scheduleId: "${SCHEDULE}", seatIds: ["a"], queueToken: "t") { id status amount heldUntil } }`],
    ['payBooking', 'mutation { payBooking(bookingId: "b", idempotencyKey: "pay-1") { id status } }'],
    ['bookingUpdated', 'subscription { bookingUpdated(bookingId: "b") { status history { status reason at } } }'],
    // what a seat map asks: every seat of a schedule at the configured bound
    ['seat map', `query { schedule(id: "${SCHEDULE}") { id startsAt concert { title venue } seats { id section row number price status } } }`],
    ['a full page of bookings with their seats', 'query { myBookings(first: 100) { nodes { id status amount heldUntil seats { id section row number price status } schedule { id concert { title } } history { status at reason } } pageInfo { hasNextPage endCursor } } }'],
    // bench/onsale and bench/queue
    ['bench logIn', 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }'],
    ['bench hold', 'mutation Hold($scheduleId: ID!, $seatIds: [ID!]!, $queueToken: String!) { holdSeats(scheduleId: $scheduleId, seatIds: $seatIds, queueToken: $queueToken) { id status amount heldUntil } }'],
    ['bench pay', 'mutation Pay($bookingId: ID!, $key: String!) { payBooking(bookingId: $bookingId, idempotencyKey: $key) { id status } }'],
    ['bench watch', 'subscription Watch($bookingId: ID!) { bookingUpdated(bookingId: $bookingId) { id status amount } }'],
    ['bench queue policy', 'mutation($s: ID!, $r: Int!, $m: Int!) { setQueuePolicy(scheduleId: $s, admitsPerSecond: $r, maxActive: $m, paused: false) { paused } }'],
    // the playground's docs
    ['introspection', getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, schemaDescription: true, directiveIsRepeatable: true })],
  ])('given %s, then it passes', (_name, query) => {
    const variables = { e: 'a@b.c', p: 'x', scheduleId: SCHEDULE, seatIds: ['a', 'b', 'c', 'd'], queueToken: 't', bookingId: 'b', key: 'k', s: SCHEDULE, r: 50, m: 1000 };
    const used = Object.fromEntries(Object.entries(variables).filter(([name]) => query.includes(`$${name}`)));
    expect(refusalsOf(query, used)).toEqual([]);
  });

  it('given the 90-byte seats-of-seats query, then its cost is refused with a code', () => {
    const query = `{ schedule(id:"${SCHEDULE}") { seats { schedule { seats { schedule { seats { id } } } } } } }`;
    expect(refusalsOf(query)).toMatchObject([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }]);
  });

  it('given first: 10000 through a variable, then the page is priced at 10000 and refused', () => {
    const query = 'query Concerts($first: Int) { concerts(first: $first) { nodes { id title schedules { id startsAt availableSeatCount } } pageInfo { endCursor } } }';
    expect(refusalsOf(query, { first: 10 })).toEqual([]);
    expect(refusalsOf(query, { first: 10000 })).toMatchObject([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }]);
  });

  it('given the same first: 10000 as a literal, then it is refused before the cost is even computed', () => {
    expect(refusalsOf('{ concerts(first: 10000) { nodes { id title } } }')).toMatchObject([{ limit: 'selections' }]);
  });
});

/**
 * Counts the work validation does without a clock: every read of a selection set's `selections`
 * is one step. Past 100 steps per selection set it throws, so an exponential walk fails at once
 * instead of hanging.
 */
function countingReads(document: DocumentNode) {
  const counter = { reads: 0, selectionSets: 0 };
  const counted = visit(document, {
    SelectionSet: {
      leave(node: SelectionSetNode) {
        counter.selectionSets += 1;
        const { selections, ...rest } = node;
        return Object.defineProperty({ ...rest }, 'selections', {
          enumerable: true,
          get() {
            counter.reads += 1;
            if (counter.reads > 100 * counter.selectionSets) throw new Error(`more than 100 reads per selection set`);
            return selections;
          },
        }) as SelectionSetNode;
      },
    },
  });
  return { document: counted, counter };
}

/**
 * 2^n fields once fragments are expanded: `twice` is `fragment F1 on Query { ...F0 ...F0 } …`;
 * `pairs` spreads two different fragments per level (what defeats a walk that only skips a
 * fragment it has already seen on the same path); `seats` nests the pairs through a list field.
 */
function fanOut(n: number, shape: 'twice' | 'pairs' | 'seats') {
  if (shape === 'twice') {
    const parts = ['fragment F0 on Query { __typename }'];
    for (let i = 1; i <= n; i += 1) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    return parse(`${parts.join(' ')} query { ...F${n} }`);
  }
  const on = shape === 'pairs' ? 'Query' : 'Schedule';
  const wrap = (inner: string) => (shape === 'pairs' ? inner : `seats { schedule { ${inner} } }`);
  const parts = [`fragment A0 on ${on} { __typename } fragment B0 on ${on} { __typename }`];
  for (let i = 1; i <= n; i += 1) {
    const inner = wrap(`...A${i - 1} ...B${i - 1}`);
    parts.push(`fragment A${i} on ${on} { ${inner} } fragment B${i} on ${on} { ${inner} }`);
  }
  const root = `...A${n} ...B${n}`;
  return parse(`${parts.join(' ')} query { ${shape === 'pairs' ? root : `schedule(id: "${SCHEDULE}") { ${root} }`} }`);
}

describe('fragment fan-out is refused in time linear in the document', () => {
  it.each([['twice' as const], ['pairs' as const], ['seats' as const]])('given 2^30 fields by fragments spread %s, then it is refused and the work stays a small multiple of the document', (shape) => {
    const document = fanOut(30, shape);
    const { document: counted, counter } = countingReads(document);
    const refusals = refusalsOf(counted);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(counter.reads).toBeLessThan(20 * counter.selectionSets);
  });
});
