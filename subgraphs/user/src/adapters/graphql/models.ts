import type DataLoader from 'dataloader';
import type { RequestIdentity } from '@ticketing/platform';
import type { User } from '../../domain/user';

/** What the user subgraph's resolvers receive: the verified caller and per-request loaders. */
export interface Context extends RequestIdentity {
  usersById: DataLoader<string, User | null>;
}

/** `emailRevealed`: set on the account just signed up or logged in, before any token exists. */
export type UserModel = User & { emailRevealed?: boolean };
