import { stampEnvelopes } from '@ticketing/messaging';
import { lockAccount, unlockAccount, validateLockReason, type AccountFacts, type AdminRejection } from '../domain/user';
import type { AccountStandingNotifier, Causation, StampDeps, UserStore } from './ports';

export type LockUserResult =
  | { kind: 'Locked' }
  | { kind: 'AlreadyLocked' }
  | { kind: 'UserNotFound' }
  | { kind: 'InvalidReason'; maxLength: number }
  | AdminRejection;

export type UnlockUserResult = { kind: 'Unlocked' } | { kind: 'NotLocked' } | { kind: 'UserNotFound' };

type Deps = { users: UserStore; standing: AccountStandingNotifier } & StampDeps;

const standingOf = (account: AccountFacts) => ({ userId: account.id, version: account.version, role: account.role, locked: account.locked });

/**
 * Locks an account: row lock, decision, lock + UserLocked in one transaction; then, committed,
 * the standing goes to Redis so the gateway and every subgraph refuse the account's tokens from
 * the next request on. An account already locked is announced again (a retry repairs a lost one).
 */
export function lockUser(deps: Deps) {
  return async (adminId: string, userId: string, reason: string, causation: Causation): Promise<LockUserResult> => {
    const validReason = validateLockReason(reason);
    if (typeof validReason !== 'string') return validReason;
    const outcome = await deps.users.transaction(async (tx) => {
      const account = await tx.lockAccount(userId);
      if (!account) return { result: { kind: 'UserNotFound' } as const };
      const decision = lockAccount(account, { adminId, otherActiveAdmins: await tx.otherActiveAdmins(account.id) });
      if (decision.kind === 'LastAdmin' || decision.kind === 'SelfLock') return { result: decision };
      if (decision.kind === 'AlreadyLocked') return { result: decision, account: decision.account };
      const now = deps.clock();
      await tx.saveLock(decision.account, { reason: validReason, at: now });
      await tx.appendToOutbox(
        stampEnvelopes(decision.events, { streamId: account.id, fromVersion: decision.account.version, ...causation, now, newId: deps.newId }),
      );
      return { result: { kind: 'Locked' } as const, account: decision.account };
    });
    if (outcome.account) await deps.standing.announce(standingOf(outcome.account));
    return outcome.result.kind === 'AlreadyLocked' ? { kind: 'AlreadyLocked' } : outcome.result;
  };
}

/** Lifts a lock the same way: UserUnlocked committed with the account, then announced. */
export function unlockUser(deps: Deps) {
  return async (adminId: string, userId: string, causation: Causation): Promise<UnlockUserResult> => {
    const outcome = await deps.users.transaction(async (tx) => {
      const account = await tx.lockAccount(userId);
      if (!account) return { result: { kind: 'UserNotFound' } as const };
      const decision = unlockAccount(account, { adminId });
      if (decision.kind === 'NotLocked') return { result: { kind: 'NotLocked' } as const, account: decision.account };
      await tx.saveLock(decision.account, null);
      await tx.appendToOutbox(
        stampEnvelopes(decision.events, { streamId: account.id, fromVersion: decision.account.version, ...causation, now: deps.clock(), newId: deps.newId }),
      );
      return { result: { kind: 'Unlocked' } as const, account: decision.account };
    });
    if (outcome.account) await deps.standing.announce(standingOf(outcome.account));
    return outcome.result;
  };
}
