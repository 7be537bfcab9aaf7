import { closeDatabases, gql, killService, signUpFan, startIsolatedSystem, stopIsolatedSystem, useTestSystem, type IsolatedSystem } from '@ticketing/test-support';

/**
 * A subgraph process that is down (crashed, restarting) is an outage a fan can wait out: its
 * fields answer SERVICE_UNAVAILABLE with a retry hint, the others keep answering, and nothing
 * says "internal error". bench/faults saw hundreds of INTERNAL_SERVER_ERROR lines while booking
 * was being restarted.
 */

let system: IsolatedSystem;

beforeAll(async () => {
  system = await startIsolatedSystem({ label: 'subgraphdown' });
  useTestSystem(system);
}, 180_000);

afterAll(async () => {
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

it('given booking killed, when a fan reads their bookings, then the answer is SERVICE_UNAVAILABLE with a retry hint, and their account still answers', async () => {
  const fan = await signUpFan();
  const bookings = () => gql('{ myBookings(first: 5) { nodes { id } } }', {}, { token: fan.token });
  expect((await bookings()).errors).toBeUndefined();

  await killService(system, 'booking');

  const refused = await bookings();
  expect(refused.errors?.map((error) => error.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 }]);
  const me = await gql<{ me: { id: string } }>('{ me { id } }', {}, { token: fan.token });
  expect(me.data?.me).toEqual({ id: fan.id });
}, 60_000);
