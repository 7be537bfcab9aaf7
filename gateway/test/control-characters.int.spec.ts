import { randomUUID } from 'node:crypto';
import { closeDatabases, errorCode, gql, signUpFan, sql, testSystem } from '@ticketing/test-support';

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }';
const usersNamed = (name: string) => sql('user', 'SELECT 1 FROM users WHERE name = $1', [name]);

afterAll(closeDatabases);

describe('control characters in string inputs', () => {
  it.each([
    ['NUL in an e-mail', (tag: string) => ({ email: `fan-${tag}\u0000@example.com`, password: 'long-enough-pass', name: tag })],
    ['a newline in an e-mail', (tag: string) => ({ email: `fan-${tag}@example.com\nBcc: x@evil.test`, password: 'long-enough-pass', name: tag })],
    ['an escape sequence in a name', (tag: string) => ({ email: `fan-${tag}@example.com`, password: 'long-enough-pass', name: `${tag}\u001b[31m` })],
    ['a C1 control in a password', (tag: string) => ({ email: `fan-${tag}@example.com`, password: 'long-enough\u0085pass', name: tag })],
  ])('given %s as a variable, when signing up, then 400 BAD_USER_INPUT and no account', async (_case, input) => {
    const tag = randomUUID();
    const response = await gql(SIGN_UP, { input: input(tag) });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(await usersNamed(tag)).toHaveLength(0);
  });

  it('given a control character in an inline literal, when sent, then 400 BAD_USER_INPUT', async () => {
    const tag = randomUUID();
    const response = await gql(`mutation { signUp(input: { email: "fan-${tag}@example.com", password: "long-enough-pass", name: "${tag}\\u0007" }) { token } }`);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(await usersNamed(`${tag}\u0007`)).toHaveLength(0);
  });

  it('given a control character sent straight to a subgraph port, then it is refused there too', async () => {
    const fan = await signUpFan();
    const response = await gql('mutation ($key: String!) { chargeWallet(amount: 100, idempotencyKey: $key) { balance } }', { key: 'top-up\u0000' }, {
      token: fan.token,
      url: `${testSystem().serviceUrls['payment']}/graphql`,
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(await sql('payment', 'SELECT 1 FROM wallets WHERE user_id = $1', [fan.id])).toHaveLength(0);
  });

  it('given ordinary text with accents, emoji and Hangul, then it is accepted', async () => {
    const tag = `팬 Zoë 🎫 ${randomUUID().slice(0, 8)}`;
    const response = await gql(SIGN_UP, { input: { email: `fan-${randomUUID()}@example.com`, password: 'long-enough-pass', name: tag } });
    expect(response.errors).toBeUndefined();
    expect(await usersNamed(tag)).toHaveLength(1);
  });
});
