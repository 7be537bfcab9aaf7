import { parseEvent, type EventEnvelope } from '@ticketing/contracts';
import { changeRole } from '../src/application/change-role.command';
import type { NewUser, StoredUser, UserStore, UserTransaction } from '../src/application/ports';
import { signUp } from '../src/application/sign-up.command';
import { changeRole as decideRoleChange, lockAccount, registered, unlockAccount } from '../src/domain/user';

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
    expect(decideRoleChange({ id: USER, role: 'USER', locked: false, version: 0 }, 'ADMIN')).toEqual({
      kind: 'RoleChanged',
      account: { id: USER, role: 'ADMIN', locked: false, version: 1 },
      events: [{ type: 'UserRoleChanged', payload: { userId: USER, previousRole: 'USER', role: 'ADMIN' } }],
    });
  });

  it('given an ADMIN, when made ADMIN again, then nothing changes and nothing is published', () => {
    const account = { id: USER, role: 'ADMIN' as const, locked: false, version: 3 };
    expect(decideRoleChange(account, 'ADMIN')).toEqual({ kind: 'RoleUnchanged', account });
  });
});

/** One in-memory table of accounts and its outbox; a transaction's writes land only if it returns. */
function memoryUsers() {
  const state = { users: new Map<string, StoredUser & { version: number; emailKey: string }>(), outbox: [] as EventEnvelope[] };
  const account = (user: StoredUser & { version: number }) => ({ id: user.id, role: user.role, locked: user.locked, version: user.version });
  const store: UserStore = {
    async transaction(work) {
      const users = new Map(state.users);
      const outbox = [...state.outbox];
      const tx: UserTransaction = {
        insert: async (user: NewUser) => {
          if ([...users.values()].some((stored) => stored.emailKey === user.email)) return 'EmailTaken';
          const stored = { id: user.id, email: user.email, name: user.name, role: user.role, locked: false, lockedReason: null, passwordHash: user.passwordHash };
          users.set(user.id, { ...stored, version: 0, emailKey: user.email });
          return stored;
        },
        lockAccount: async (id) => {
          const user = users.get(id);
          return user ? account(user) : null;
        },
        saveRole: async ({ id, role, version }) => void users.set(id, { ...users.get(id)!, role, version }),
        saveLock: async ({ id, locked, version }, lock) => void users.set(id, { ...users.get(id)!, locked, lockedReason: lock?.reason ?? null, version }),
        otherActiveAdmins: async (id) => [...users.values()].filter((user) => user.id !== id && user.role === 'ADMIN' && !user.locked).length,
        appendToOutbox: async (envelopes) => void outbox.push(...envelopes),
      };
      const result = await work(tx);
      Object.assign(state, { users, outbox });
      return result;
    },
    findByEmail: async () => null,
    findByIds: async () => [],
    listPage: async () => ({ users: [], hasNextPage: false }),
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

describe('the last-admin and self-lock rules', () => {
  const ADMIN = 'a0000000-0000-4000-8000-0000000000ad';
  const admin = { id: ADMIN, role: 'ADMIN' as const, locked: false, version: 2 };

  it('given the only unlocked admin, when demoted by an admin, then LastAdmin and no event', () => {
    expect(decideRoleChange(admin, 'USER', { adminId: ADMIN, otherActiveAdmins: 0 })).toEqual({ kind: 'LastAdmin' });
  });

  it('given another unlocked admin, when an admin demotes themselves, then the role changes', () => {
    expect(decideRoleChange(admin, 'USER', { adminId: ADMIN, otherActiveAdmins: 1 })).toMatchObject({ kind: 'RoleChanged', account: { role: 'USER', version: 3 } });
  });

  it('given an admin, when they lock their own account, then SelfLock', () => {
    expect(lockAccount(admin, { adminId: ADMIN, otherActiveAdmins: 5 })).toEqual({ kind: 'SelfLock' });
  });

  it('given the only other unlocked admin, when locked, then LastAdmin', () => {
    expect(lockAccount(admin, { adminId: USER, otherActiveAdmins: 0 })).toEqual({ kind: 'LastAdmin' });
  });

  it('given a fan at version 1, when locked then unlocked, then UserLocked and UserUnlocked are versions 2 and 3 and name the admin, not the reason', () => {
    const locked = lockAccount({ id: USER, role: 'USER', locked: false, version: 1 }, { adminId: ADMIN, otherActiveAdmins: 0 });
    if (locked.kind !== 'Locked') throw new Error(locked.kind);
    expect(locked.events).toEqual([{ type: 'UserLocked', payload: { userId: USER, lockedBy: ADMIN } }]);
    expect(lockAccount(locked.account, { adminId: ADMIN, otherActiveAdmins: 0 })).toEqual({ kind: 'AlreadyLocked', account: locked.account });

    const unlocked = unlockAccount(locked.account, { adminId: ADMIN });

    expect(unlocked).toEqual({
      kind: 'Unlocked',
      account: { id: USER, role: 'USER', locked: false, version: 3 },
      events: [{ type: 'UserUnlocked', payload: { userId: USER, unlockedBy: ADMIN } }],
    });
  });

  it('given two admins, when each demotes the other through the command, then the second is refused (counted under the admins’ lock)', async () => {
    const { store } = memoryUsers();
    const command = signUp({ users: store, passwords, issueToken: () => 'token', newId, clock: () => NOW });
    const first = await command({ ...request, email: 'one@example.com' }, causation);
    const second = await command({ ...request, email: 'two@example.com' }, causation);
    if (first.kind !== 'SignedUp' || second.kind !== 'SignedUp') throw new Error('sign-up failed');
    const setRole = changeRole({ users: store, newId, clock: () => NOW });
    await setRole(first.user.id, 'ADMIN', causation);
    await setRole(second.user.id, 'ADMIN', causation);

    expect(await setRole(second.user.id, 'USER', causation, first.user.id)).toEqual({ kind: 'RoleChanged', role: 'USER' });
    expect(await setRole(first.user.id, 'USER', causation, second.user.id)).toEqual({ kind: 'LastAdmin' });
  });
});
