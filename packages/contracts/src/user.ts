import { z } from 'zod';
import { entityIdSchema } from './envelope';

/**
 * Events of the User aggregate, published by the user subgraph on `user.events` (stream
 * `{ type: 'user', id: userId }`). No personal data in any payload — no e-mail, no name, nothing
 * derived from them: the event store keeps events for good, and an erasure request must only
 * have to touch the user database. Version 1.
 */

const role = z.enum(['USER', 'ADMIN']);

export const UserRegisteredV1 = z.object({
  userId: entityIdSchema,
  role,
  registeredAt: z.iso.datetime({ offset: true }),
});

/** A role set on an existing account (e.g. the seeded admin promoted); `previousRole` makes the change readable alone. */
export const UserRoleChangedV1 = z.object({
  userId: entityIdSchema,
  previousRole: role,
  role,
});

/**
 * An admin locked the account: its tokens stop working everywhere. The admin's free-text reason
 * stays in the user database (it may well name the person); `lockedBy` is the admin's user id.
 */
export const UserLockedV1 = z.object({
  userId: entityIdSchema,
  lockedBy: entityIdSchema,
});

/** An admin lifted the lock: the account's unexpired tokens work again. */
export const UserUnlockedV1 = z.object({
  userId: entityIdSchema,
  unlockedBy: entityIdSchema,
});

export type UserRegistered = z.infer<typeof UserRegisteredV1>;
export type UserRoleChanged = z.infer<typeof UserRoleChangedV1>;
export type UserLocked = z.infer<typeof UserLockedV1>;
export type UserUnlocked = z.infer<typeof UserUnlockedV1>;

export const USER_EVENT_TYPES = ['UserRegistered', 'UserRoleChanged', 'UserLocked', 'UserUnlocked'] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

/**
 * Where every process learns, through Redis, what an account's tokens are worth: a hash holds
 * each changed account's latest standing, and a channel announces each change, so a process
 * keeps the locked accounts in memory and refuses their tokens without a lookup per request.
 * The hash key goes through the client's keyPrefix; channels do not, so they carry the prefix.
 */
export const accountStanding = {
  /** Hash: userId → JSON AccountStanding (the newest by `version`). */
  key: 'auth:account-standing',
  channel: (prefix: string) => `${prefix}auth:account-changed`,
} as const;

/** An account's standing after a change at stream `version`; older versions never overwrite newer ones. */
export const accountStandingSchema = z.object({
  userId: entityIdSchema,
  version: z.number().int().nonnegative(),
  role,
  locked: z.boolean(),
});
export type AccountStanding = z.infer<typeof accountStandingSchema>;
