import { randomUUID } from 'node:crypto';
import { closeDatabases, errorCode, gql, startIsolatedSystem, stopIsolatedSystem, type GraphQLResponse, type IsolatedSystem } from '@ticketing/test-support';

/**
 * Per-account login lock-outs, asked of the user subgraph itself (no gateway, so no per-address
 * limit): three failures in a row lock the account for 1 s, the next lock-out for 2 s.
 */
const FAILURES = 3;
const LOCKOUT_SECONDS = 1;

const SIGN_UP = 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { user { id } } }';
const LOG_IN = 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { user { id } } }';
const PASSWORD = 'correct-horse-battery';

let system: IsolatedSystem;
let url: string;

beforeAll(async () => {
  system = await startIsolatedSystem({
    label: 'lockout',
    services: ['user'],
    env: {
      LOGIN_LOCKOUT_AFTER_FAILURES: String(FAILURES),
      LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
      LOGIN_LOCKOUT_MAX_SECONDS: '60',
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
    },
  });
  url = `${system.serviceUrls['user']}/graphql`;
}, 180_000);

afterAll(async () => {
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

const logIn = (email: string, password: string) => gql<{ logIn: { user: { id: string } } }>(LOG_IN, { email, password }, { url });
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 200));
const retryAfter = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.['retryAfterSeconds'];

async function signUp(): Promise<string> {
  const email = `fan-${randomUUID()}@example.com`;
  const response = await gql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Fan' } }, { url });
  expect(response.errors).toBeUndefined();
  return email;
}

async function failTimes(email: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) expect(errorCode(await logIn(email, 'wrong-password-guess'))).toBe('UNAUTHENTICATED');
}

describe('login lock-outs per account', () => {
  it('locks an account after consecutive failures, refuses even the right password while locked, and doubles the next lock-out', async () => {
    const email = await signUp();
    await failTimes(email, FAILURES);

    const locked = await logIn(email, PASSWORD);
    expect(errorCode(locked)).toBe('RATE_LIMITED');
    expect(retryAfter(locked)).toBe(LOCKOUT_SECONDS);
    expect(locked.data).toBeNull();

    await sleep(LOCKOUT_SECONDS);
    await failTimes(email, FAILURES);
    const lockedAgain = await logIn(email.toUpperCase(), PASSWORD); // the same account, however it is spelled
    expect(errorCode(lockedAgain)).toBe('RATE_LIMITED');
    expect(retryAfter(lockedAgain)).toBe(2 * LOCKOUT_SECONDS);

    await sleep(2 * LOCKOUT_SECONDS);
    expect((await logIn(email, PASSWORD)).data?.logIn.user.id).toEqual(expect.any(String));
  });

  it('forgives earlier failures after a successful login', async () => {
    const email = await signUp();
    await failTimes(email, FAILURES - 1);
    expect((await logIn(email, PASSWORD)).errors).toBeUndefined();
    await failTimes(email, FAILURES - 1);
    expect((await logIn(email, PASSWORD)).errors).toBeUndefined();
  });

  it('answers an unknown e-mail exactly as a known one, so a lock-out reveals no account', async () => {
    const known = await signUp();
    const unknown = `nobody-${randomUUID()}@example.com`;
    await failTimes(known, FAILURES);
    await failTimes(unknown, FAILURES);
    const [forKnown, forUnknown] = await Promise.all([logIn(known, PASSWORD), logIn(unknown, PASSWORD)]);
    expect(forUnknown.errors?.[0]?.message).toBe(forKnown.errors?.[0]?.message);
    expect(errorCode(forUnknown)).toBe('RATE_LIMITED');
    expect(retryAfter(forUnknown)).toBe(retryAfter(forKnown));
  });

  it('lets exactly the allowed attempts through when guesses race on one account', async () => {
    const email = await signUp();
    const answers = await Promise.all(Array.from({ length: 20 }, () => logIn(email, 'wrong-password-guess')));
    const codes = answers.map(errorCode);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(FAILURES);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(20 - FAILURES);
  });
});
