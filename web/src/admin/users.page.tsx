import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { graphql } from '../generated';
import type { AdminUsersQuery } from '../generated/graphql';
import { useSession } from '../session';
import { Problem } from '../ui/widgets';
import { Notice, useAction } from './admin-shell';

graphql(`
  fragment AdminUserFields on User { id email name role locked lockedReason }
`);

const Users = graphql(`
  query AdminUsers($search: String, $after: String) {
    users(search: $search, first: 20, after: $after) { nodes { ...AdminUserFields } pageInfo { hasNextPage endCursor } }
  }
`);

const SetUserRole = graphql(`
  mutation AdminSetUserRole($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { ...AdminUserFields } }
`);

const LockUser = graphql(`
  mutation AdminLockUser($userId: ID!, $reason: String!) { lockUser(userId: $userId, reason: $reason) { ...AdminUserFields } }
`);

const UnlockUser = graphql(`
  mutation AdminUnlockUser($userId: ID!) { unlockUser(userId: $userId) { ...AdminUserFields } }
`);

type User = AdminUsersQuery['users']['nodes'][number];

/** Accounts found by their whole e-mail address (the blind index matches nothing less), their role and lock. */
export function UsersPage() {
  const [search, setSearch] = useState('');
  const [users, setUsers] = useState<User[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [searched, setSearched] = useState<string | null>(null);
  const { busy, problem, run } = useAction();

  const load = (term: string | null, after: string | null) =>
    void run(async () => {
      const { users: page } = await request(Users, { search: term, after });
      setUsers((shown) => [...(after ? (shown ?? []) : []), ...page.nodes]);
      setNext(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
      setSearched(term);
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    load(search.trim() || null, null);
  };
  const replace = (user: User) => setUsers((shown) => shown?.map((row) => (row.id === user.id ? user : row)) ?? null);

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form className="inline panel" role="search" aria-label="Find users" onSubmit={submit}>
        <label>
          E-mail address (the whole address; empty lists everyone)
          <input type="email" name="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Find users
        </button>
      </form>
      <Problem message={problem} />
      {users?.length === 0 && <p>No account {searched ? `has the address ${searched}` : 'yet'}.</p>}
      <ul className="cards">
        {users?.map((user) => (
          <UserCard key={user.id} user={user} onChanged={replace} />
        ))}
      </ul>
      {next && (
        <button type="button" onClick={() => load(searched, next)} disabled={busy}>
          More users
        </button>
      )}
    </section>
  );
}

function UserCard({ user, onChanged }: { user: User; onChanged: (user: User) => void }) {
  const { signedIn } = useSession();
  const [reason, setReason] = useState('');
  const { busy, problem, notice, run } = useAction();
  const itself = signedIn?.user.id === user.id;
  const setRole = (role: User['role']) =>
    void run(async () => {
      const { setUserRole } = await request(SetUserRole, { userId: user.id, role });
      onChanged(setUserRole);
      return role === 'ADMIN' ? `${user.email} is now an admin.` : `${user.email} is now a fan.`;
    });
  const lock = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { lockUser } = await request(LockUser, { userId: user.id, reason });
      onChanged(lockUser);
      setReason('');
      return `${user.email} is locked: their sessions stop working at once.`;
    });
  };
  const unlock = () =>
    void run(async () => {
      const { unlockUser } = await request(UnlockUser, { userId: user.id });
      onChanged(unlockUser);
      return `${user.email} is unlocked.`;
    });
  return (
    <li className="card" data-user-id={user.id}>
      <h2>{user.name}</h2>
      <p className="muted">
        {user.email} · {user.role === 'ADMIN' ? 'admin' : 'fan'} · <span data-testid="user-lock">{user.locked ? `locked (${user.lockedReason ?? 'no reason given'})` : 'active'}</span>
      </p>
      <div className="actions">
        {user.role === 'ADMIN' ? (
          <button type="button" className="secondary" onClick={() => setRole('USER')} disabled={busy} aria-label={`Make a fan: ${user.email}`}>
            Make a fan
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => setRole('ADMIN')} disabled={busy} aria-label={`Make an admin: ${user.email}`}>
            Make an admin
          </button>
        )}
      </div>
      {user.locked ? (
        <button type="button" onClick={unlock} disabled={busy} aria-label={`Unlock: ${user.email}`}>
          Unlock
        </button>
      ) : (
        !itself && (
          <form className="inline" onSubmit={lock} aria-label={`Lock ${user.email}`}>
            <label>
              Reason for locking
              <input name="reason" required maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
            </label>
            <button type="submit" disabled={busy}>
              Lock
            </button>
          </form>
        )
      )}
      <Problem message={problem} />
      <Notice message={notice} />
    </li>
  );
}
