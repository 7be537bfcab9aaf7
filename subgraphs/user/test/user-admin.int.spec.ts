import { randomUUID } from 'node:crypto';
import { accountStanding, accountStandingSchema } from '@ticketing/contracts';
import { createRedis } from '@ticketing/platform';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, sql, testSystem, type SignedUpFan } from '@ticketing/test-support';

const USER_FIELDS = 'id email role locked lockedReason';
const USERS = `query Users($search: String, $first: Int, $after: String) {
  users(search: $search, first: $first, after: $after) { nodes { ${USER_FIELDS} } pageInfo { hasNextPage endCursor } }
}`;
const SET_ROLE = `mutation SetRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ${USER_FIELDS} } }`;
const LOCK = `mutation Lock($userId: ID!, $reason: String!) { lockUser(userId: $userId, reason: $reason) { ${USER_FIELDS} } }`;
const UNLOCK = `mutation Unlock($userId: ID!) { unlockUser(userId: $userId) { ${USER_FIELDS} } }`;
const LOG_IN = 'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }';
const FAN_PASSWORD = 'correct-horse-battery';

interface UserView {
  id: string;
  email: string;
  role: 'USER' | 'ADMIN';
  locked: boolean;
  lockedReason: string | null;
}

/** The account's stream as the outbox holds it, in version order. */
const streamOf = (userId: string) =>
  sql<{ event_type: string; version: number; payload: { payload: Record<string, unknown> } }>(
    'user',
    `SELECT event_type, (payload->>'streamVersion')::int AS version, payload FROM outbox WHERE aggregate_id = $1 ORDER BY version`,
    [userId],
  );

const meWith = (token: string) => gql<{ me: { id: string } | null }>('{ me { id } }', {}, { token });

describe('admins manage accounts: users, setUserRole, lockUser, unlockUser', () => {
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    admin = await logInAdmin();
    adminId = (await meWith(admin)).data!.me!.id;
  });

  afterAll(() => closeDatabases());

  describe('refusals', () => {
    const operations = (userId: string): Array<[string, string, Record<string, unknown>]> => [
      ['users', USERS, {}],
      ['setUserRole', SET_ROLE, { userId, role: 'ADMIN' }],
      ['lockUser', LOCK, { userId, reason: 'spam' }],
      ['unlockUser', UNLOCK, { userId }],
    ];

    it('given a fan, when they call any admin user operation, then FORBIDDEN and nothing is written', async () => {
      const fan = await signUpFan();
      for (const [name, query, variables] of operations(fan.id)) {
        expect([name, errorCode(await gql(query, variables, { token: fan.token }))]).toEqual([name, 'FORBIDDEN']);
      }
      expect((await streamOf(fan.id)).map((row) => row.event_type)).toEqual(['UserRegistered']);
    });

    it('given no token, when calling any admin user operation, then UNAUTHENTICATED', async () => {
      const fan = await signUpFan();
      for (const [name, query, variables] of operations(fan.id)) {
        expect([name, errorCode(await gql(query, variables))]).toEqual([name, 'UNAUTHENTICATED']);
      }
    });

    it('given an unknown account, when an admin changes it, then NOT_FOUND', async () => {
      const unknown = randomUUID();
      expect(errorCode(await gql(SET_ROLE, { userId: unknown, role: 'ADMIN' }, { token: admin }))).toBe('NOT_FOUND');
      expect(errorCode(await gql(LOCK, { userId: unknown, reason: 'spam' }, { token: admin }))).toBe('NOT_FOUND');
      expect(errorCode(await gql(UNLOCK, { userId: unknown }, { token: admin }))).toBe('NOT_FOUND');
    });

    it('given an admin, when they lock their own account, then INVALID_STATE (SELF_LOCK) and they stay unlocked', async () => {
      const response = await gql(LOCK, { userId: adminId, reason: 'oops' }, { token: admin });

      expect(errorCode(response)).toBe('INVALID_STATE');
      expect(response.errors?.[0]?.extensions?.['reason']).toBe('SELF_LOCK');
      expect((await meWith(admin)).data?.me?.id).toBe(adminId);
    });

    it('given a blank or overlong reason, when locking, then BAD_USER_INPUT and the account stays unlocked', async () => {
      const fan = await signUpFan();
      expect(errorCode(await gql(LOCK, { userId: fan.id, reason: '   ' }, { token: admin }))).toBe('BAD_USER_INPUT');
      expect(errorCode(await gql(LOCK, { userId: fan.id, reason: 'x'.repeat(501) }, { token: admin }))).toBe('BAD_USER_INPUT');
      expect((await meWith(fan.token)).data?.me?.id).toBe(fan.id);
    });
  });

  describe('users(search, first, after)', () => {
    it('given an account, when an admin searches its whole e-mail in another case, then exactly that account comes back', async () => {
      const fan = await signUpFan();

      const found = await gql<{ users: { nodes: UserView[]; pageInfo: { hasNextPage: boolean } } }>(USERS, { search: ` ${fan.email.toUpperCase()} ` }, { token: admin });

      expect(found.errors).toBeUndefined();
      expect(found.data?.users.nodes).toEqual([{ id: fan.id, email: fan.email, role: 'USER', locked: false, lockedReason: null }]);
      expect(found.data?.users.pageInfo.hasNextPage).toBe(false);
    });

    it('given an account, when an admin searches part of its e-mail or its domain, then nothing matches (blind index: exact addresses only)', async () => {
      const fan = await signUpFan();
      for (const partial of [fan.email.slice(0, 12), fan.email.split('@')[1]!, fan.email.slice(0, -1), '%']) {
        const found = await gql<{ users: { nodes: UserView[] } }>(USERS, { search: partial }, { token: admin });
        expect([partial, found.data?.users.nodes]).toEqual([partial, []]);
      }
    });

    it('given several accounts, when an admin pages with first: 2, then every account appears once, in sign-up order', async () => {
      await Promise.all([signUpFan(), signUpFan(), signUpFan()]);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Awaited<ReturnType<typeof gql<{ users: { nodes: UserView[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>>> = await gql(
          USERS,
          { first: 2, after },
          { token: admin },
        );
        expect(page.errors).toBeUndefined();
        expect(page.data!.users.nodes.length).toBeLessThanOrEqual(2);
        seen.push(...page.data!.users.nodes.map((user) => user.id));
        if (!page.data!.users.pageInfo.hasNextPage) break;
        after = page.data!.users.pageInfo.endCursor;
      }
      const [{ count } = { count: -1 }] = await sql<{ count: number }>('user', 'SELECT count(*)::int AS count FROM users WHERE created_at <= now()');
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(Math.min(count, 4));
      expect(seen).toContain(adminId);
    });

    it('given a page size out of 1..100 or a made-up cursor, then BAD_USER_INPUT', async () => {
      for (const variables of [{ first: 0 }, { first: 101 }, { after: 'not-a-cursor' }]) {
        expect([variables, errorCode(await gql(USERS, variables, { token: admin }))]).toEqual([variables, 'BAD_USER_INPUT']);
      }
    });
  });

  describe('setUserRole', () => {
    it('given a fan, when an admin makes them ADMIN, then UserRoleChanged is version 1, their old token stops at once and a new one has admin rights', async () => {
      const fan = await signUpFan();
      expect((await meWith(fan.token)).data?.me?.id).toBe(fan.id); // the gateway has cached the account as USER

      const changed = await gql<{ setUserRole: UserView }>(SET_ROLE, { userId: fan.id, role: 'ADMIN' }, { token: admin });

      expect(changed.errors).toBeUndefined();
      expect(changed.data?.setUserRole).toMatchObject({ id: fan.id, role: 'ADMIN', locked: false });
      expect((await streamOf(fan.id)).map((row) => [row.event_type, row.version, row.payload.payload])).toEqual([
        ['UserRegistered', 0, expect.anything()],
        ['UserRoleChanged', 1, { userId: fan.id, previousRole: 'USER', role: 'ADMIN' }],
      ]);
      // The token still says USER: refused without waiting for the account check's TTL.
      expect(errorCode(await meWith(fan.token))).toBe('UNAUTHENTICATED');
      const promoted = await gql<{ logIn: { token: string } }>(LOG_IN, { email: fan.email, password: FAN_PASSWORD });
      expect(errorCode(await gql(USERS, { first: 1 }, { token: promoted.data!.logIn.token }))).toBeUndefined();
    });

    it('given another admin exists, when an admin demotes themselves, then they become USER (only the last unlocked admin is kept)', async () => {
      const fan = await signUpFan();
      await gql(SET_ROLE, { userId: fan.id, role: 'ADMIN' }, { token: admin });
      const second = (await gql<{ logIn: { token: string } }>(LOG_IN, { email: fan.email, password: FAN_PASSWORD })).data!.logIn.token;

      const demoted = await gql<{ setUserRole: UserView }>(SET_ROLE, { userId: fan.id, role: 'USER' }, { token: second });

      expect(demoted.data?.setUserRole.role).toBe('USER');
    });
  });

  describe('lockUser and unlockUser', () => {
    it('given a signed-in fan, when an admin locks them, then their token fails on the very next request everywhere, logIn says ACCOUNT_LOCKED, and unlocking restores both', async () => {
      const fan = await signUpFan();
      expect((await meWith(fan.token)).data?.me?.id).toBe(fan.id); // cached as current at the gateway

      const locked = await gql<{ lockUser: UserView }>(LOCK, { userId: fan.id, reason: 'Chargeback fraud, ticket 42' }, { token: admin });

      expect(locked.errors).toBeUndefined();
      expect(locked.data?.lockUser).toMatchObject({ id: fan.id, locked: true, lockedReason: 'Chargeback fraud, ticket 42' });
      const refused = await meWith(fan.token);
      expect([refused.status, errorCode(refused)]).toEqual([403, 'ACCOUNT_LOCKED']);
      // Straight to every subgraph's port, past the gateway: the same refusal.
      for (const [service, url] of Object.entries(testSystem().serviceUrls).filter(([name]) => name !== 'gateway')) {
        const direct = await gql('{ __typename }', {}, { token: fan.token, url: `${url}/graphql` });
        expect([service, direct.status, errorCode(direct)]).toEqual([service, 403, 'ACCOUNT_LOCKED']);
      }
      expect(errorCode(await gql(LOG_IN, { email: fan.email, password: FAN_PASSWORD }))).toBe('ACCOUNT_LOCKED');
      // A wrong password learns nothing about the lock.
      expect(errorCode(await gql(LOG_IN, { email: fan.email, password: 'wrong-password-1' }))).toBe('UNAUTHENTICATED');

      const unlocked = await gql<{ unlockUser: UserView }>(UNLOCK, { userId: fan.id }, { token: admin });

      expect(unlocked.data?.unlockUser).toMatchObject({ id: fan.id, locked: false, lockedReason: null });
      expect((await meWith(fan.token)).data?.me?.id).toBe(fan.id);
      expect(errorCode(await gql(LOG_IN, { email: fan.email, password: FAN_PASSWORD }))).toBeUndefined();
      const stream = await streamOf(fan.id);
      expect(stream.map((row) => [row.event_type, row.version, row.payload.payload])).toEqual([
        ['UserRegistered', 0, expect.anything()],
        ['UserLocked', 1, { userId: fan.id, lockedBy: adminId }],
        ['UserUnlocked', 2, { userId: fan.id, unlockedBy: adminId }],
      ]);
      expect(JSON.stringify(stream)).not.toContain('Chargeback');
    });

    it('given a locked account, when locked again or an unlocked one unlocked again, then nothing more is written', async () => {
      const fan = await signUpFan();
      await gql(LOCK, { userId: fan.id, reason: 'spam' }, { token: admin });
      expect((await gql<{ lockUser: UserView }>(LOCK, { userId: fan.id, reason: 'spam again' }, { token: admin })).data?.lockUser.locked).toBe(true);
      await gql(UNLOCK, { userId: fan.id }, { token: admin });
      expect((await gql<{ unlockUser: UserView }>(UNLOCK, { userId: fan.id }, { token: admin })).data?.unlockUser.locked).toBe(false);

      expect((await streamOf(fan.id)).map((row) => row.event_type)).toEqual(['UserRegistered', 'UserLocked', 'UserUnlocked']);
    });

    it('given a fan, when they read their own account, then they see locked but not the admin’s reason', async () => {
      const fan = await signUpFan();
      expect((await gql<{ me: { locked: boolean } }>('{ me { locked } }', {}, { token: fan.token })).data?.me.locked).toBe(false);
      expect(errorCode(await gql('{ me { lockedReason } }', {}, { token: fan.token }))).toBe('FORBIDDEN');
    });
  });

  it('RACE: 10 concurrent lockUser, unlockUser and setUserRole calls on one account leave it as the last event of its gapless stream says, in the database and in Redis', async () => {
    const fan: SignedUpFan = await signUpFan();
    const calls = Array.from({ length: 10 }, (_, index) => {
      switch (index % 4) {
        case 0:
          return gql(LOCK, { userId: fan.id, reason: `race ${index}` }, { token: admin });
        case 1:
          return gql(UNLOCK, { userId: fan.id }, { token: admin });
        case 2:
          return gql(SET_ROLE, { userId: fan.id, role: 'ADMIN' }, { token: admin });
        default:
          return gql(SET_ROLE, { userId: fan.id, role: 'USER' }, { token: admin });
      }
    });

    const responses = await Promise.all(calls);

    expect(responses.map((response) => response.errors)).toEqual(Array.from({ length: 10 }, () => undefined));
    const stream = await streamOf(fan.id);
    expect(stream.map((row) => row.version)).toEqual(stream.map((_, index) => index));
    const lastLockEvent = stream.filter((row) => row.event_type === 'UserLocked' || row.event_type === 'UserUnlocked').at(-1);
    const lastRole = stream.filter((row) => row.event_type === 'UserRoleChanged').at(-1)?.payload.payload['role'] ?? 'USER';
    const [row] = await sql<{ role: string; locked: boolean; version: number }>('user', 'SELECT role, locked, version FROM users WHERE id = $1', [fan.id]);
    expect(row).toEqual({ role: lastRole, locked: lastLockEvent?.event_type === 'UserLocked', version: stream.length - 1 });
    // What every process fences with: the newest standing, whatever order the announcements ran in.
    const redis = createRedis(testSystem().env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', testSystem().env['REDIS_KEY_PREFIX'] ?? '');
    try {
      const standing = accountStandingSchema.parse(JSON.parse((await redis.hget(accountStanding.key, fan.id)) ?? 'null'));
      expect(standing).toEqual({ userId: fan.id, version: row!.version, role: row!.role, locked: row!.locked });
    } finally {
      await redis.quit();
    }
  });
});
