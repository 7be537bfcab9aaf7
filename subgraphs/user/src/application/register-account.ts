import { stampEnvelopes } from '@ticketing/messaging';
import { registered } from '../domain/user';
import type { Causation, NewUser, StampDeps, StoredUser, UserStore } from './ports';

/**
 * Inserts an account and its UserRegistered (stream `user/<id>`, version 0) in one transaction:
 * the account exists exactly when its event will be published. A taken e-mail writes neither.
 */
export function registerAccount(users: UserStore, deps: StampDeps, account: Omit<NewUser, 'id' | 'createdAt'>, causation: Causation): Promise<StoredUser | 'EmailTaken'> {
  const now = deps.clock();
  const id = deps.newId();
  return users.transaction(async (tx) => {
    const created = await tx.insert({ ...account, id, createdAt: now });
    if (created === 'EmailTaken') return created;
    await tx.appendToOutbox(
      stampEnvelopes([registered(created, now)], { streamId: created.id, fromVersion: 0, ...causation, now, newId: deps.newId }),
    );
    return created;
  });
}
