import DataLoader from 'dataloader';
import { clientError, ErrorCode, keyset, requireAdmin, requireViewer, type RequestIdentity, type Viewer } from '@ticketing/platform';
import type { ChangeRoleResult } from '../../application/change-role.command';
import type { ListUsersResult } from '../../application/list-users.query';
import type { LockUserResult, UnlockUserResult } from '../../application/lock-user.command';
import type { LogInResult } from '../../application/log-in.command';
import type { Causation, UserStore } from '../../application/ports';
import type { SignUpResult } from '../../application/sign-up.command';
import type { Role, User } from '../../domain/user';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface UserUseCases {
  signUp: (input: { email: string; password: string; name: string }, causation: Causation) => Promise<SignUpResult>;
  logIn: (email: string, password: string) => Promise<LogInResult>;
  listUsers: (query: { search?: string | null; first?: number | null; after?: string | null }) => Promise<ListUsersResult>;
  setUserRole: (userId: string, role: Role, causation: Causation, adminId: string) => Promise<ChangeRoleResult>;
  lockUser: (adminId: string, userId: string, reason: string, causation: Causation) => Promise<LockUserResult>;
  unlockUser: (adminId: string, userId: string, causation: Causation) => Promise<UnlockUserResult>;
  users: UserStore;
}

/** The one place where user-subgraph outcomes become GraphQL errors. */
function toPayload(result: SignUpResult | LogInResult) {
  switch (result.kind) {
    case 'SignedUp':
    case 'LoggedIn':
      return { token: result.token, user: { ...result.user, emailRevealed: true } };
    case 'InvalidEmail':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'E-mail address is not valid', { field: 'email' });
    case 'PasswordTooShort':
      throw clientError(ErrorCode.BAD_USER_INPUT, `Password must be at least ${result.minLength} characters`, { field: 'password' });
    case 'PasswordTooLong':
      throw clientError(ErrorCode.BAD_USER_INPUT, `Password must be at most ${result.maxLength} characters`, { field: 'password' });
    case 'InvalidName':
      throw clientError(ErrorCode.BAD_USER_INPUT, 'Name must be 1 to 100 printable characters', { field: 'name' });
    case 'EmailTaken':
      throw clientError(ErrorCode.CONFLICT, 'An account with this e-mail already exists', { field: 'email' });
    case 'WrongCredentials':
      throw clientError(ErrorCode.UNAUTHENTICATED, 'Wrong e-mail or password');
    case 'TooManyAttempts':
      throw clientError(ErrorCode.RATE_LIMITED, 'Too many failed sign-in attempts; try again later', { retryAfterSeconds: result.retryAfterSeconds });
    case 'AccountLocked':
      throw clientError(ErrorCode.ACCOUNT_LOCKED, 'This account is locked; contact support');
  }
}

/** The one place where an admin's account change becomes a GraphQL error; success gives the account's id. */
function changedAccount(userId: string, result: ChangeRoleResult | LockUserResult | UnlockUserResult): string {
  switch (result.kind) {
    case 'RoleChanged':
    case 'RoleUnchanged':
    case 'Locked':
    case 'AlreadyLocked':
    case 'Unlocked':
    case 'NotLocked':
      return userId;
    case 'UserNotFound':
      throw clientError(ErrorCode.NOT_FOUND, 'No such account', { field: 'userId' });
    case 'InvalidReason':
      throw clientError(ErrorCode.BAD_USER_INPUT, `reason must be 1 to ${result.maxLength} characters`, { field: 'reason' });
    case 'LastAdmin':
      throw clientError(ErrorCode.INVALID_STATE, 'This would leave no unlocked admin; promote another admin first', { reason: 'LAST_ADMIN' });
    case 'SelfLock':
      throw clientError(ErrorCode.INVALID_STATE, 'Admins cannot lock their own account', { reason: 'SELF_LOCK' });
  }
}

/** The person themselves or an admin; anyone else learns nothing about the account. */
function requireSelfOrAdmin(viewer: Viewer | null, userId: string, what: string): void {
  const signedIn = requireViewer(viewer);
  if (signedIn.userId !== userId && signedIn.role !== 'ADMIN') throw clientError(ErrorCode.FORBIDDEN, `Another user's ${what} is private`);
}

/** The request id starts the chain: the events carry it as correlation and cause. */
const causationOf = (context: Context): Causation => ({ correlationId: context.requestId, causationId: context.requestId });

/** The account as committed, not as an earlier field of the same request loaded it. */
async function reloaded(context: Context, userId: string): Promise<User> {
  const user = await context.usersById.clear(userId).load(userId);
  if (!user) throw clientError(ErrorCode.NOT_FOUND, 'No such account', { field: 'userId' });
  return user;
}

export function createContextFactory(users: UserStore) {
  return (identity: RequestIdentity): Context => ({
    ...identity,
    // One query per request for any number of User references (federation fan-in).
    usersById: new DataLoader<string, User | null>(async (ids) => {
      const found = new Map((await users.findByIds(ids)).map((user) => [user.id, user]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  });
}

export function createResolvers(useCases: UserUseCases): Resolvers {
  return {
    Query: {
      me: async (_parent, _args, context) => (context.viewer ? context.usersById.load(context.viewer.userId) : null),
      users: async (_parent, args, context) => {
        requireAdmin(context.viewer);
        return keyset.connectionOrThrow(await useCases.listUsers(args));
      },
    },
    Mutation: {
      // The request id starts the chain: UserRegistered carries it as correlation and cause.
      signUp: async (_parent, { input }, context) => toPayload(await useCases.signUp(input, { correlationId: context.requestId, causationId: context.requestId })),
      logIn: async (_parent, { email, password }) => toPayload(await useCases.logIn(email, password)),
      setUserRole: async (_parent, { userId, role }, context) => {
        const admin = requireAdmin(context.viewer);
        return reloaded(context, changedAccount(userId, await useCases.setUserRole(userId, role, causationOf(context), admin.userId)));
      },
      lockUser: async (_parent, { userId, reason }, context) => {
        const admin = requireAdmin(context.viewer);
        return reloaded(context, changedAccount(userId, await useCases.lockUser(admin.userId, userId, reason, causationOf(context))));
      },
      unlockUser: async (_parent, { userId }, context) => {
        const admin = requireAdmin(context.viewer);
        return reloaded(context, changedAccount(userId, await useCases.unlockUser(admin.userId, userId, causationOf(context))));
      },
    },
    User: {
      // A reference reaches here from the gateway (Booking.user) or straight from the port
      // (`_entities`): either way only the person or an admin may see an account.
      __resolveReference: async (reference, context) => {
        const viewer = requireViewer(context.viewer);
        if (viewer.userId !== reference.id && viewer.role !== 'ADMIN') throw clientError(ErrorCode.FORBIDDEN, "Another user's account is private");
        return context.usersById.load(reference.id);
      },
      email: (user, _args, context) => {
        if (user.emailRevealed) return user.email;
        const viewer = requireViewer(context.viewer);
        if (viewer.userId !== user.id && viewer.role !== 'ADMIN') {
          throw clientError(ErrorCode.FORBIDDEN, "Another user's e-mail is private");
        }
        return user.email;
      },
      locked: (user, _args, context) => {
        if (!user.emailRevealed) requireSelfOrAdmin(context.viewer, user.id, 'account');
        return user.locked;
      },
      lockedReason: (user, _args, context) => {
        requireAdmin(context.viewer);
        return user.lockedReason;
      },
    },
  };
}
