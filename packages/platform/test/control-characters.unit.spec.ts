import type { GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import { parse, type DocumentNode } from 'graphql';
import { refuseControlCharacters } from '../src/control-characters';

/**
 * The control-character rule as Apollo runs it: one plugin, per request. Its literals check is
 * counted by the reads of the document's definitions (each walk reads them; a remembered answer
 * does not).
 */
async function checker() {
  const listener = (await refuseControlCharacters().requestDidStart!({} as never)) as GraphQLRequestListener<object>;
  return (document: DocumentNode, variables: Record<string, unknown> = {}) =>
    listener.didResolveOperation!({ request: { variables }, document } as unknown as GraphQLRequestContextDidResolveOperation<object>);
}

function counted(query: string) {
  const counter = { walks: 0 };
  const document = new Proxy(parse(query), {
    get(target, property, receiver) {
      if (property === 'definitions') counter.walks++;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { document, counter };
}

describe('text inputs with control characters', () => {
  it('given one document sent again (Apollo hands every request of a text the same one), then its literals are walked once', async () => {
    const check = await checker();
    const { document, counter } = counted('mutation { logIn(email: "fan@example.com", password: "secret") { token } }');

    await check(document);
    const first = counter.walks;
    await check(document, { unrelated: 'plain' });
    await check(document);

    expect(first).toBeGreaterThan(0);
    expect(counter.walks).toBe(first);
  });

  it('given a literal with a control character, then every request of the document is refused, the remembered ones too', async () => {
    const check = await checker();
    const { document } = counted('mutation { logIn(email: "fan@example.com\\u0007", password: "secret") { token } }');

    for (let i = 0; i < 2; i++) await expect(check(document)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('given a clean document and a variable with a control character, then it is refused each time: variables are checked per request', async () => {
    const check = await checker();
    const { document } = counted('mutation($email: String!) { logIn(email: $email, password: "secret") { token } }');

    await check(document, { email: 'fan@example.com' });
    await expect(check(document, { email: 'fan\u0000@example.com' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
  });
});
