import type { Role, User } from '../domain/user';

export interface StoredUser extends User {
  passwordHash: string;
}

/** Persistence of accounts. `create` answers EmailTaken instead of throwing on the unique e-mail. */
export interface UserStore {
  create(user: { email: string; name: string; role: Role; passwordHash: string }): Promise<StoredUser | 'EmailTaken'>;
  findByEmail(email: string): Promise<StoredUser | null>;
  findByIds(ids: readonly string[]): Promise<User[]>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export type IssueToken = (user: User) => string;
