import DataLoader from 'dataloader';
import { clientError, ErrorCode, requireViewer, type RequestIdentity } from '@ticketing/platform';
import type { LogInResult } from '../../application/log-in.command';
import type { Causation, UserStore } from '../../application/ports';
import type { SignUpResult } from '../../application/sign-up.command';
import type { User } from '../../domain/user';
import type { Resolvers } from './generated/resolvers-types';
import type { Context } from './models';

export interface UserUseCases {
  signUp: (input: { email: string; password: string; name: string }, causation: Causation) => Promise<SignUpResult>;
  logIn: (email: string, password: string) => Promise<LogInResult>;
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
  }
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
    },
    Mutation: {
      // The request id starts the chain: UserRegistered carries it as correlation and cause.
      signUp: async (_parent, { input }, context) => toPayload(await useCases.signUp(input, { correlationId: context.requestId, causationId: context.requestId })),
      logIn: async (_parent, { email, password }) => toPayload(await useCases.logIn(email, password)),
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
    },
  };
}
