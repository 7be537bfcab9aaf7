import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, testSystem } from '@ticketing/test-support';

/** `_entities` on the user subgraph's own port: what anyone who reaches the port could send. */
const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id name role } } }';
const entities = (ids: string[], token?: string) =>
  gql<{ _entities: Array<{ id: string; name: string; role: string } | null> }>(
    ENTITIES,
    { representations: ids.map((id) => ({ __typename: 'User', id })) },
    { url: `${testSystem().serviceUrls['user']}/graphql`, ...(token ? { token } : {}) },
  );

afterAll(closeDatabases);

describe('User references need a viewer', () => {
  it('given an anonymous caller on the subgraph port, when resolving a user reference, then UNAUTHENTICATED and no data', async () => {
    const fan = await signUpFan('Private Person');
    const response = await entities([fan.id]);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(response.data ?? null)).not.toContain('Private Person');
  });

  it("given a signed-in fan, when resolving another user's reference, then FORBIDDEN and no data", async () => {
    const [fan, other] = await Promise.all([signUpFan(), signUpFan('Someone Else')]);
    const response = await entities([other.id], fan.token);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(JSON.stringify(response.data ?? null)).not.toContain('Someone Else');
  });

  it('given the person themself or an admin, when resolving the reference, then the account comes back', async () => {
    const fan = await signUpFan('Visible To Me');
    expect((await entities([fan.id], fan.token)).data?._entities).toEqual([{ id: fan.id, name: 'Visible To Me', role: 'USER' }]);
    expect((await entities([fan.id], await logInAdmin())).data?._entities).toEqual([{ id: fan.id, name: 'Visible To Me', role: 'USER' }]);
  });
});
