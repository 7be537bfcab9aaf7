import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { AccountLocks, Viewer } from '@ticketing/platform';
import { createAccountCheck } from '../src/auth/account-check';

/*
 * The gateway's account check against a stand-in user subgraph on a real socket: it answers what
 * a user process answers while it has not yet heard an unlock (ACCOUNT_LOCKED), then what it
 * answers once it has. The gateway, which heard the unlock first, must not keep the stale "locked"
 * for the whole TTL.
 */

const fan: Viewer = { userId: 'a1a1a1a1-0000-4000-8000-000000000001', role: 'USER' };
const LOCKED = { data: null, errors: [{ message: 'locked', extensions: { code: 'ACCOUNT_LOCKED' } }] };
const STANDING = { data: { me: { id: fan.userId, role: 'USER', locked: false } } };

let server: Server;
let answers: unknown[] = [];
let asked = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    asked++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(answers.shift() ?? STANDING));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  answers = [];
  asked = 0;
});

/** The gateway's own view of the standings, as the announcements left it. */
function locksSaying(locked: boolean): AccountLocks {
  return { isLocked: () => locked, onChange: () => undefined, ready: Promise.resolve(), close: async () => undefined };
}

const checkWith = (locks: AccountLocks) =>
  createAccountCheck({ userUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, ttlMs: 60_000, maxEntries: 100, logger: pino({ level: 'silent' }), locks });

describe('the account check', () => {
  it('given the gateway heard an unlock the user subgraph has not, refuses once and asks again next time instead of remembering the lock', async () => {
    const check = checkWith(locksSaying(false));
    answers = [LOCKED];

    expect(await check.verdict(fan, 'Bearer t')).toBe('locked');
    expect(await check.verdict(fan, 'Bearer t')).toBe('current');
    expect(asked).toBe(2);
    // Current answers are remembered as before: no third question within the TTL.
    expect(await check.verdict(fan, 'Bearer t')).toBe('current');
    expect(asked).toBe(2);
  });

  it('given the gateway itself knows the account locked, refuses without asking', async () => {
    const check = checkWith(locksSaying(true));

    expect(await check.verdict(fan, 'Bearer t')).toBe('locked');
    expect(asked).toBe(0);
  });
});
