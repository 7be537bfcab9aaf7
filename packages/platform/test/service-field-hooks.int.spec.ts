import { GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { createLogger, createMetrics, startHttpService, type RunningService } from '../src';

/*
 * Every process's Apollo server runs no per-field plugin hook: Apollo wraps a schema's resolvers
 * (and calls each plugin's willResolveField on every field of every response) as soon as one
 * plugin has that hook, and its default cache-control plugin has it. Counted by identity: the
 * resolvers the schema was built with are the ones that still run after a request.
 */
const seatCalls = { count: 0 };
type SeatRow = { id: string; number: number };
const Seat = new GraphQLObjectType<SeatRow>({
  name: 'Seat',
  fields: {
    id: { type: GraphQLString, resolve: (seat) => seat.id },
    number: { type: GraphQLInt, resolve: (seat) => seat.number },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      seats: {
        type: new GraphQLList(Seat),
        resolve: () => {
          seatCalls.count += 1;
          return Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, number: i }));
        },
      },
    },
  }),
});
const resolversAsBuilt = () => [schema.getQueryType()!.getFields()['seats']!.resolve, Seat.getFields()['id']!.resolve, Seat.getFields()['number']!.resolve];

let service: RunningService;

beforeAll(async () => {
  service = await startHttpService({
    name: 'field-hooks-spec',
    host: '127.0.0.1',
    port: 0,
    metricsPort: 0,
    logger: createLogger('field-hooks-spec', 'silent'),
    metrics: createMetrics('field-hooks-spec'),
    apollo: { schema },
    context: async () => ({}),
    readiness: [],
  });
});

afterAll(async () => {
  await service.stop();
});

it('given a request for 100 seats, then the schema keeps the resolvers it was built with: no plugin hook runs per field', async () => {
  const before = resolversAsBuilt();
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ seats { id number } }' }),
  });
  const body = (await response.json()) as { data: { seats: Array<{ id: string; number: number }> } };
  expect(body.data.seats).toHaveLength(100);
  expect(body.data.seats[99]).toEqual({ id: 's99', number: 99 });
  expect(seatCalls.count).toBe(1);
  expect(resolversAsBuilt()).toEqual(before);
  expect(response.headers.get('cache-control')).toBeNull();
});
