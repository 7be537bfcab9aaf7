import { randomUUID } from 'node:crypto';
import { errorCode, gql, signUpFan, sql, closeDatabases, testSystem } from '@ticketing/test-support';

const SIGN_UP = 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id email name role } } }';
const LOG_IN = 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token user { id email } } }';
const ME = '{ me { id email name role } }';

afterAll(closeDatabases);

describe('accounts through the gateway', () => {
  it('signs up, logs in and answers me with the same user', async () => {
    const email = `Fan.${randomUUID()}@Example.com`;
    const signUp = await gql<{ signUp: { token: string; user: { id: string; email: string; role: string } } }>(SIGN_UP, {
      input: { email, password: 'long-enough-password', name: '  Kim Fan ' },
    });
    expect(signUp.errors).toBeUndefined();
    expect(signUp.data?.signUp.user).toMatchObject({ email: email.toLowerCase(), role: 'USER' });

    const logIn = await gql<{ logIn: { token: string; user: { id: string } } }>(LOG_IN, {
      email: email.toUpperCase(),
      password: 'long-enough-password',
    });
    expect(logIn.data?.logIn.user.id).toBe(signUp.data?.signUp.user.id);

    const me = await gql<{ me: { id: string; email: string; name: string } }>(ME, {}, { token: logIn.data!.logIn.token });
    expect(me.data?.me).toEqual({ id: signUp.data!.signUp.user.id, email: email.toLowerCase(), name: 'Kim Fan', role: 'USER' });
  });

  it('stores the e-mail encrypted and the password as a scrypt hash, never in clear', async () => {
    const fan = await signUpFan();
    const [row] = await sql<{ email_encrypted: string; email_index: string; password_hash: string }>(
      'user',
      'SELECT email_encrypted, email_index, password_hash FROM users WHERE id = $1',
      [fan.id],
    );
    expect(row?.email_encrypted).not.toContain('@');
    expect(row?.email_index).not.toContain('@');
    expect(row?.password_hash).toMatch(/^scrypt\$/);
    expect(row?.password_hash).not.toContain('correct-horse-battery');
  });

  it.each([
    ['a malformed e-mail', { email: 'not-an-email', password: 'long-enough-password', name: 'A' }],
    ['a short password', { email: `${randomUUID()}@example.com`, password: 'short', name: 'A' }],
    ['a huge password', { email: `${randomUUID()}@example.com`, password: 'x'.repeat(10_000), name: 'A' }],
    ['an empty name', { email: `${randomUUID()}@example.com`, password: 'long-enough-password', name: '   ' }],
  ])('rejects %s with BAD_USER_INPUT and creates nothing', async (_case, input) => {
    const before = await sql<{ count: string }>('user', 'SELECT count(*)::text AS count FROM users');
    const response = await gql(SIGN_UP, { input });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.data).toBeNull();
    const after = await sql<{ count: string }>('user', 'SELECT count(*)::text AS count FROM users');
    expect(after[0]?.count).toBe(before[0]?.count);
  });

  it('answers a second sign-up with the same e-mail (any case) with CONFLICT', async () => {
    const fan = await signUpFan();
    const response = await gql(SIGN_UP, { input: { email: fan.email.toUpperCase(), password: 'another-password', name: 'B' } });
    expect(errorCode(response)).toBe('CONFLICT');
  });

  it('lets exactly one of 20 concurrent sign-ups with one e-mail win', async () => {
    const email = `race-${randomUUID()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => gql(SIGN_UP, { input: { email, password: 'long-enough-password', name: 'R' } })),
    );
    expect(responses.filter((r) => !r.errors)).toHaveLength(1);
    expect(responses.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(19);
  });

  it('answers a wrong password and an unknown account alike with UNAUTHENTICATED', async () => {
    const fan = await signUpFan();
    const wrong = await gql(LOG_IN, { email: fan.email, password: 'wrong-password' });
    const unknown = await gql(LOG_IN, { email: `${randomUUID()}@example.com`, password: 'wrong-password' });
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('treats no token as anonymous and a forged or expired token as UNAUTHENTICATED (401)', async () => {
    const anonymous = await gql<{ me: null }>(ME);
    expect(anonymous.data?.me).toBeNull();

    const fan = await signUpFan();
    const [header, payload] = fan.token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' }),
    ).toString('base64url');
    const forged = await gql(ME, {}, { token: `${header}.${forgedPayload}.${fan.token.split('.')[2]}` });
    expect(forged.status).toBe(401);
    expect(errorCode(forged)).toBe('UNAUTHENTICATED');

    const jwt = await import('jsonwebtoken');
    const expired = jwt.sign({ role: 'USER' }, testSystem().env['JWT_SECRET']!, {
      subject: fan.id,
      issuer: 'ticketing',
      audience: 'ticketing-api',
      expiresIn: -10,
    });
    const response = await gql(ME, {}, { token: expired });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.errors?.[0]?.message).toBe('Token expired');
  });

  it('refuses a subgraph request whose identity it cannot verify, even on its own port', async () => {
    const unsigned = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ sub: randomUUID(), role: 'ADMIN' })).toString('base64url');
    const response = await gql(ME, {}, { url: `${testSystem().serviceUrls['user']}/graphql`, token: `${unsigned}.${claims}.` });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('hides internals: errors carry a code and never a stack trace', async () => {
    const response = await gql('{ me { id doesNotExist } }');
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|at .*\.ts:/);
  });
});
