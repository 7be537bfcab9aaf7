import { stampEnvelopes } from '@ticketing/messaging';
import { changeRole as decideRoleChange, type Role } from '../domain/user';
import type { Causation, StampDeps, UserStore } from './ports';

export type ChangeRoleResult = { kind: 'RoleChanged'; role: Role } | { kind: 'RoleUnchanged'; role: Role } | { kind: 'UserNotFound' };

/**
 * The one way a role changes: the account row is locked, the decision numbers the event after
 * the account's version, and role, version and UserRoleChanged commit together. (Issue 11's
 * `setUserRole` mutation calls this; nothing else changes roles.)
 */
export function changeRole(deps: { users: UserStore } & StampDeps) {
  return (userId: string, role: Role, causation: Causation): Promise<ChangeRoleResult> =>
    deps.users.transaction(async (tx) => {
      const account = await tx.lockAccount(userId);
      if (!account) return { kind: 'UserNotFound' };
      const decision = decideRoleChange(account, role);
      if (decision.kind === 'RoleUnchanged') return { kind: 'RoleUnchanged', role };
      await tx.saveRole(decision.account);
      const now = deps.clock();
      await tx.appendToOutbox(
        stampEnvelopes(decision.events, { streamId: account.id, fromVersion: decision.account.version, ...causation, now, newId: deps.newId }),
      );
      return { kind: 'RoleChanged', role };
    });
}
