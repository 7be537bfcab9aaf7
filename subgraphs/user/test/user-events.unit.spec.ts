import { parseEvent, type EventEnvelope } from '@ticketing/contracts';
import { changeRole } from '../src/application/change-role.command';
import type { NewUser, StoredUser, UserStore, UserTransaction } from '../src/application/ports';
import { signUp } from '../src/application/sign-up.command';
import { changeRole as decideRoleChange, registered } from '../src/domain/user';

const USER = 'a0000000-0000-4000-8000-000000000001';
const NOW = new Date('2025-01-01T12:00:00.000Z');
const causation = { correlationId: 'request-9', causationId: 'request-9' };

describe('the events of an account', () => {
  it('given a new account, then UserRegistered carries its id, role and time and nothing personal', () => {
    expect(registered({ id: USER, role: 'USER' }, NOW)).toEqual({
      type: 'UserRegistered',
      payload: { userId: USER, role: 'USER', registeredAt: NOW.toISOString() },
    });
  });

  it('given a USER at version 0, when made ADMIN, then the account moves to version 1 and UserRoleChanged names both roles', () => {
    expect(decideRoleChange({ id: USER, role: 'USER', version: 0 }, 'ADMIN')).toEqual({
      kind: 'RoleChanged',
      account: { id: USER, role: 'ADMIN', version: 1 },
      events: [{ type: 'UserRoleChanged', payload: { userId: USER, previousRole: 'USER', role: 'ADMIN' } }],
    });
  });

  it('given an ADMIN, when made ADMIN again, then nothing changes and nothing is published', () => {
    const account = { id: USER, role: 'ADMIN' as const, version: 3 };
    expect(decideRoleChange(account, 'ADMIN')).toEqual({ kind: 'RoleUnchanged', account });
  });
});

/** One in-memory table of accounts and its outbox; a transaction's writes land only if it returns. */
function memoryUsers() {
  const state = { users: new Map<string, StoredUser & { version: number; emailKey: string }>(), outbox: [] as EventEnvelope[] };
  const store: UserStore = {
    async transaction(work) {
      const users = new Map(state.users);
      const outbox = [...state.outbox];
      const tx: UserTransaction = {
        insert: async (user: NewUser) => {
          if ([...users.values()].some((stored) => stored.emailKey === user.email)) return 'EmailTaken';
          const stored = { id: user.id, email: user.email, name: user.name, role: user.role, passwordHash: user.passwordHash };
          users.set(user.id, { ...stored, version: 0, emailKey: user.email });
          return stored;
        },
        lockAccount: async (id) => {
          const user = users.get(id);
          return user ? { id, role: user.role, version: user.version } : null;
        },
        saveRole: async ({ id, role, version }) => void users.set(id, { ...users.get(id)!, role, version }),
        appendToOutbox: async (envelopes) => void outbox.push(...envelopes),
      };
      const result = await work(tx);
      Object.assign(state, { users, outbox });
      return result;
    },
    findByEmail: async () => null,
    findByIds: async () => [],
  };
  return { store, state };
}

let ids = 0;
const newId = () => `d0000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
const passwords = { hash: async (password: string) => `hashed:${password.length}`, verify: async () => true };
const request = { email: 'Kim@Example.com', password: 'long-enough-password', name: 'Kim Fan' };

describe('signing up', () => {
  it('given a free e-mail, when signing up, then the account and its UserRegistered at version 0 are written together, with no e-mail or name in it', async () => {
    const { store, state } = memoryUsers();

    const result = await signUp({ users: store, passwords, issueToken: () => 'token', newId, clock: () => NOW })(request, causation);

    expect(result.kind).toBe('SignedUp');
    const [event] = state.outbox;
    expect(state.outbox).toHaveLength(1);
    expect(parseEvent(JSON.stringify(event)).ok).toBe(true);
    expect(event).toMatchObject({
      type: 'UserRegistered',
      stream: { type: 'user', id: result.kind === 'SignedUp' ? result.user.id : '' },
      streamVersion: 0,
      correlationId: 'request-9',
      payload: { role: 'USER', registeredAt: NOW.toISOString() },
    });
    expect(JSON.stringify(event)).not.toMatch(/kim|example/i);
  });

  it('given the e-mail is taken, when signing up again, then nothing more is published', async () => {
    const { store, state } = memoryUsers();
    const command = signUp({ users: store, passwords, issueToken: () => 'token', newId, clock: () => NOW });
    await command(request, causation);

    expect(await command({ ...request, email: 'kim@example.com' }, causation)).toEqual({ kind: 'EmailTaken' });
    expect(state.outbox).toHaveLength(1);
  });
});

describe('changing a role', () => {
  it('given a USER, when made ADMIN, then UserRoleChanged is the account’s version 1; setting it again publishes nothing', async () => {
    const { store, state } = memoryUsers();
    const signedUp = await signUp({ users: store, passwords, issueToken: () => 'token', newId, clock: () => NOW })(request, causation);
    if (signedUp.kind !== 'SignedUp') throw new Error(signedUp.kind);
    const command = changeRole({ users: store, newId, clock: () => NOW });

    expect(await command(signedUp.user.id, 'ADMIN', causation)).toEqual({ kind: 'RoleChanged', role: 'ADMIN' });
    expect(await command(signedUp.user.id, 'ADMIN', causation)).toEqual({ kind: 'RoleUnchanged', role: 'ADMIN' });
    expect(await command(USER, 'ADMIN', causation)).toEqual({ kind: 'UserNotFound' });

    expect(state.outbox.map((event) => [event.type, event.streamVersion, event.payload])).toEqual([
      ['UserRegistered', 0, expect.anything()],
      ['UserRoleChanged', 1, { userId: signedUp.user.id, previousRole: 'USER', role: 'ADMIN' }],
    ]);
  });
});
