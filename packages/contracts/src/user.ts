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

export type UserRegistered = z.infer<typeof UserRegisteredV1>;
export type UserRoleChanged = z.infer<typeof UserRoleChangedV1>;

export const USER_EVENT_TYPES = ['UserRegistered', 'UserRoleChanged'] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];
