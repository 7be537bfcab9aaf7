import { stampEnvelopes } from '@ticketing/messaging';
import { changeRole as decideRoleChange, type AdminRejection, type Role } from '../domain/user';
import type { AccountStandingNotifier, Causation, StampDeps, UserStore } from './ports';

export type ChangeRoleResult = { kind: 'RoleChanged'; role: Role } | { kind: 'RoleUnchanged'; role: Role } | { kind: 'UserNotFound' } | AdminRejection;

/**
 * The one way a role changes: the account row is locked, the decision numbers the event after
 * the account's version, and role, version and UserRoleChanged commit together. With `adminId`
 * (setUserRole) the last unlocked admin cannot be demoted; then the new standing is announced,
 * so the gateway forgets the account's cached role at once.
 */
export function changeRole(deps: { users: UserStore; standing?: AccountStandingNotifier } & StampDeps) {
  return async (userId: string, role: Role, causation: Causation, adminId?: string): Promise<ChangeRoleResult> => {
    const outcome = await deps.users.transaction(async (tx) => {
      const account = await tx.lockAccount(userId);
      if (!account) return { result: { kind: 'UserNotFound' } as const };
      const act = adminId === undefined ? undefined : { adminId, otherActiveAdmins: await tx.otherActiveAdmins(account.id) };
      const decision = decideRoleChange(account, role, act);
      if (decision.kind === 'LastAdmin' || decision.kind === 'SelfLock') return { result: decision };
      if (decision.kind === 'RoleUnchanged') return { result: { kind: 'RoleUnchanged', role } as const, account: decision.account };
      await tx.saveRole(decision.account);
      const now = deps.clock();
      await tx.appendToOutbox(
        stampEnvelopes(decision.events, { streamId: account.id, fromVersion: decision.account.version, ...causation, now, newId: deps.newId }),
      );
      return { result: { kind: 'RoleChanged', role } as const, account: decision.account };
    });
    if (outcome.account) await deps.standing?.announce({ userId: outcome.account.id, version: outcome.account.version, role: outcome.account.role, locked: outcome.account.locked });
    return outcome.result;
  };
}
