import type { keyset } from '@ticketing/platform';
import type { AccountStanding, EventEnvelope } from '@ticketing/contracts';
import type { AccountFacts, Role, User } from '../domain/user';

export interface StoredUser extends User {
  passwordHash: string;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  /** Also the registeredAt of its UserRegistered. */
  createdAt: Date;
}

/** The writes of one account change. Every method runs inside the same database transaction. */
export interface UserTransaction {
  /**
   * Inserts the account at stream version 0; EmailTaken, with nothing written, when the e-mail's
   * blind index is taken. A concurrent sign-up with the same e-mail waits for the first to end.
   */
  insert(user: NewUser): Promise<StoredUser | 'EmailTaken'>;
  /** The account's role and version, its row locked until the transaction ends; null if unknown. */
  lockAccount(userId: string): Promise<AccountFacts | null>;
  /** Stores the role and version a role change decided. */
  saveRole(account: AccountFacts): Promise<void>;
  /** Stores a lock (with the admin's reason and its time) or its lifting (null), and the version. */
  saveLock(account: AccountFacts, lock: { reason: string; at: Date } | null): Promise<void>;
  /**
   * Unlocked admins other than `userId`. Takes the admins' lock first (held until the transaction
   * ends), so two admins demoting or locking each other at once cannot both pass the last-admin rule.
   */
  otherActiveAdmins(userId: string): Promise<number>;
  /** Stores the envelopes for the outbox relay to publish on `user.events`. */
  appendToOutbox(envelopes: readonly EventEnvelope[]): Promise<void>;
}

/** Persistence of accounts: writes in a transaction with their events, reads outside one. */
export interface UserStore {
  /** Runs `work` in one transaction; a thrown error rolls back and is rethrown. */
  transaction<T>(work: (tx: UserTransaction) => Promise<T>): Promise<T>;
  findByEmail(email: string): Promise<StoredUser | null>;
  findByIds(ids: readonly string[]): Promise<User[]>;
  /**
   * Accounts in sign-up order (then id), after the cursor; `email` (normalised) narrows to the
   * account with exactly that address, through the blind index. One more than `first` tells
   * whether a next page exists.
   */
  listPage(query: { email: string | null; first: number; after: UserCursor | null }): Promise<{ users: Array<User & UserCursor>; hasNextPage: boolean }>;
}

/** Where an account stands in the admin list's keyset order. */
export type UserCursor = keyset.KeysetCursor;

/**
 * Tells every process what an account's tokens are worth now (Redis, after the commit). Announcing
 * again an unchanged standing is harmless, so a retry repairs an announcement that failed.
 */
export interface AccountStandingNotifier {
  announce(standing: AccountStanding): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

export type IssueToken = (user: User) => string;

/** What stamps an account's events: ids and time are injected so tests decide them. */
export interface StampDeps {
  newId: () => string;
  clock: () => Date;
}

/** Where a change came from: the request that started it (a start-up seed has its own id). */
export interface Causation {
  correlationId: string;
  causationId: string | null;
}
