import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  closeDatabases,
  errorCode,
  gql,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type GraphQLResponse,
  type IsolatedSystem,
} from '@ticketing/test-support';
import { metricsUrl, SERVICES } from '../../infra/services';

/**
 * The gateway's front-door limits on a system of its own with low limits. TRUST_PROXY=loopback
 * lets each test be its own client address through X-Forwarded-For, as behind a load balancer.
 */
const USER_OPS = 5;
const USER_BURST = 3;
const LOGIN_PER_IP = 4;
const SIGNUP_PER_IP = 3;
const IP_LOCKOUT_SECONDS = 30;
const SOCKETS_PER_USER = 2;
const SOCKETS_PER_IP = 3;
const SUBSCRIPTIONS_PER_SOCKET = 20;
const OPEN_SCHEDULE = '5c4ed000-0000-4000-8000-000000000011'; // seeded demo schedule

const PASSWORD = 'correct-horse-battery';
const SIGN_UP = 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id } } }';
const LOG_IN = 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }';

let system: IsolatedSystem;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  system = await startIsolatedSystem({
    label: 'ratelimits',
    services: ['user', 'concert', 'gateway'],
    env: {
      TRUST_PROXY: 'loopback',
      // Windows far longer than a test: counts are exact, never a race with a window's turn. The
      // operation windows are aligned on the clock (platform's bucketsLimiter), so a day's: a
      // 10-minute one could turn in the middle of a flood.
      RATE_LIMIT_OPS_WINDOW_SECONDS: '86400',
      RATE_LIMIT_BURST_WINDOW_SECONDS: '86400',
      RATE_LIMIT_USER_OPS: String(USER_OPS),
      RATE_LIMIT_USER_BURST: String(USER_BURST),
      RATE_LIMIT_IP_OPS: '150',
      RATE_LIMIT_IP_BURST: '50',
      RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_PER_IP),
      RATE_LIMIT_SIGNUP_PER_IP: String(SIGNUP_PER_IP),
      RATE_LIMIT_CREDENTIALS_WINDOW_SECONDS: '600',
      RATE_LIMIT_IP_LOCKOUT_SECONDS: String(IP_LOCKOUT_SECONDS),
      MAX_SOCKETS_PER_USER: String(SOCKETS_PER_USER),
      MAX_SOCKETS_PER_IP: String(SOCKETS_PER_IP),
      MAX_SUBSCRIPTIONS_PER_SOCKET: String(SUBSCRIPTIONS_PER_SOCKET),
      LOGIN_LOCKOUT_AFTER_FAILURES: '3',
      LOGIN_LOCKOUT_SECONDS: '1',
    },
  });
  useTestSystem(system);
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

let lastOctet = 0;
/** A client address of its own for each caller (documentation range, RFC 5737). */
const newAddress = () => `198.51.100.${(lastOctet += 1)}`;
const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const retryAfter = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.['retryAfterSeconds'];
const codesOf = (responses: Array<GraphQLResponse<unknown>>) => responses.map((response) => errorCode(response) ?? 'OK');
const count = (codes: unknown[], code: string) => codes.filter((c) => c === code).length;

async function signUp(ip = newAddress()): Promise<{ email: string; token: string }> {
  const email = `fan-${randomUUID()}@example.com`;
  const response = await gql<{ signUp: { token: string } }>(SIGN_UP, { input: { email, password: PASSWORD, name: 'Fan' } }, from(ip));
  if (!response.data) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return { email, token: response.data.signUp.token };
}

describe('logIn and signUp per client address', () => {
  it('counts every logIn field, aliases included, and locks the address out past the limit', async () => {
    const ip = newAddress();
    const logIns = (n: number) =>
      `mutation { ${Array.from({ length: n }, (_, i) => `a${i}: logIn(email: "nobody-${randomUUID()}@example.com", password: "guess-${i}") { token }`).join(' ')} }`;

    // Mutations run in order and the first failure ends the rest, but all three were counted.
    expect(errorCode(await gql(logIns(3), {}, from(ip)))).toBe('UNAUTHENTICATED');

    const two = await gql(logIns(2), {}, from(ip)); // 3 + 2 > 4: the whole document is refused
    expect(errorCode(two)).toBe('RATE_LIMITED');
    expect(two.status).toBe(429);
    expect(retryAfter(two)).toBe(IP_LOCKOUT_SECONDS);
    expect(errorCode(await gql(logIns(1), {}, from(ip)))).toBe('RATE_LIMITED');

    expect(errorCode(await gql(logIns(1), {}, from(newAddress())))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(logIns(LOGIN_PER_IP + 1), {}, from(newAddress())))).toBe('RATE_LIMITED');
  });

  it('refuses sign-ups from one address past the limit, not from another', async () => {
    const ip = newAddress();
    for (let i = 0; i < SIGNUP_PER_IP; i += 1) await signUp(ip);
    const refused = await gql(SIGN_UP, { input: { email: `fan-${randomUUID()}@example.com`, password: PASSWORD, name: 'Fan' } }, from(ip));
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
    await expect(signUp(newAddress())).resolves.toMatchObject({ token: expect.any(String) });
  });

  it("locks an account after failed logins from any addresses, and says so through the gateway with the subgraph's retryAfterSeconds", async () => {
    const fan = await signUp();
    for (let i = 0; i < 3; i += 1) {
      expect(errorCode(await gql(LOG_IN, { email: fan.email, password: `wrong-${i}` }, from(newAddress())))).toBe('UNAUTHENTICATED');
    }
    const locked = await gql(LOG_IN, { email: fan.email, password: PASSWORD }, from(newAddress()));
    expect(errorCode(locked)).toBe('RATE_LIMITED');
    expect(retryAfter(locked)).toBe(1);
  });
});

describe('operations per user and per address', () => {
  it('lets a signed-in user burst to the bucket and refuses the rest, while another user of the same address goes on', async () => {
    const ip = newAddress();
    const fan = await signUp(ip);
    const answers = await Promise.all(Array.from({ length: 20 }, () => gql('{ me { id } }', {}, { token: fan.token, ...from(ip) })));
    const codes = codesOf(answers);
    expect(count(codes, 'OK')).toBe(USER_OPS + USER_BURST);
    expect(count(codes, 'RATE_LIMITED')).toBe(20 - USER_OPS - USER_BURST);
    const refused = answers.find((answer) => errorCode(answer) === 'RATE_LIMITED')!;
    expect(refused.status).toBe(429);
    expect(retryAfter(refused)).toEqual(expect.any(Number));
    expect(retryAfter(refused) as number).toBeGreaterThanOrEqual(1);

    const neighbour = await signUp(ip);
    expect(errorCode(await gql('{ me { id } }', {}, { token: neighbour.token, ...from(ip) }))).toBeUndefined();
  });
});

type Frame = { id?: string; type: string; payload?: unknown };

/** A raw graphql-ws connection, so a test controls every frame and sees how the server closes. */
function openSocket(ip: string, token?: string) {
  const ws = new WebSocket(system.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', from(ip));
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const acknowledged = new Promise<boolean>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      frames.push(frame);
      if (frame.type === 'connection_ack') resolve(true);
    });
    ws.on('close', () => resolve(false));
  });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} })));
  return { ws, frames, closed, acknowledged };
}

async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, seconds = 20): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('WebSockets', () => {
  it('holds a user to the socket limit across addresses, and frees a slot when a socket closes', async () => {
    const fan = await signUp();
    const open = Array.from({ length: SOCKETS_PER_USER }, () => openSocket(newAddress(), fan.token));
    expect(await Promise.all(open.map((socket) => socket.acknowledged))).toEqual(open.map(() => true));

    const extra = openSocket(newAddress(), fan.token);
    expect(await extra.acknowledged).toBe(false);
    expect(await extra.closed).toEqual({ code: 4429, reason: 'Too many open connections for this account' });

    open[0]!.ws.close();
    await open[0]!.closed;
    await eventually(
      async () => {
        const retry = openSocket(newAddress(), fan.token);
        const acknowledged = await retry.acknowledged;
        if (acknowledged) retry.ws.close();
        return acknowledged;
      },
      (acknowledged) => acknowledged,
      'a socket after one closed',
    );
  });

  it('holds an address to its socket limit', async () => {
    const ip = newAddress();
    const open = Array.from({ length: SOCKETS_PER_IP }, () => openSocket(ip));
    expect(await Promise.all(open.map((socket) => socket.acknowledged))).toEqual(open.map(() => true));
    const extra = openSocket(ip);
    expect(await extra.acknowledged).toBe(false);
    expect((await extra.closed).code).toBe(4429);
  });

  it('keeps exactly the cap of subscriptions when 100 subscribe frames arrive in one burst', async () => {
    const socket = openSocket(newAddress());
    expect(await socket.acknowledged).toBe(true);
    const query = `subscription { seatsUpdated(scheduleId: "${OPEN_SCHEDULE}") { id status } }`;
    for (let i = 0; i < 100; i += 1) socket.ws.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query } }));

    const refused = () => socket.frames.filter((frame) => frame.type === 'error');
    await eventually(() => refused().length, (n) => n >= 100 - SUBSCRIPTIONS_PER_SOCKET, 'refused subscriptions');
    const gateway = SERVICES.find((service) => service.name === 'gateway')!;
    const activeSeatSubscriptions = async () => {
      const text = await (await fetch(metricsUrl(gateway, system.env))).text();
      return Number(/graphql_subscriptions_active\{[^}]*field="seatsUpdated"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    expect(await eventually(activeSeatSubscriptions, (n) => n >= SUBSCRIPTIONS_PER_SOCKET, 'active subscriptions')).toBe(SUBSCRIPTIONS_PER_SOCKET);

    const errors = refused();
    expect(errors).toHaveLength(100 - SUBSCRIPTIONS_PER_SOCKET);
    for (const frame of errors) {
      expect(frame.payload).toEqual([expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } })]);
    }
    expect(new Set(errors.map((frame) => frame.id)).size).toBe(100 - SUBSCRIPTIONS_PER_SOCKET);
    expect(socket.frames.filter((frame) => frame.type === 'complete')).toHaveLength(0);
  });
});
