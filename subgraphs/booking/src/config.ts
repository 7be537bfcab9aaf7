import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports, secretSetting } from '@ticketing/platform';

export const bookingConfigSchema = baseConfigSchema.extend({
  BOOKING_PORT: ports.booking,
  BOOKING_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_booking'),
  /** How long a hold keeps seats before the sweeper releases them (API.md: default 300). */
  HOLD_TTL_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(300),
  /** How long a booking may wait in PAYMENT_PENDING before it is cancelled (a later payment is refunded). */
  PAYMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(120),
  /** How often the sweeper looks for lapsed holds and timed-out payments. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Bound on a crashed request's Redis seat lock; a hold's transaction takes milliseconds. */
  SEAT_LOCK_TTL_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Checks the waiting room's admission passes (ADR 0013): the same value in every queue and booking process. */
  ADMISSION_PASS_SECRET: secretSetting('ADMISSION_PASS_SECRET'),
  /** The waiting room's admission check, for a queue token sent instead of a pass, lives beside its GraphQL endpoint. */
  QUEUE_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  /** Seat prices come from the concert catalog. */
  CONCERT_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});

export type BookingConfig = z.infer<typeof bookingConfigSchema>;
export const loadBookingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(bookingConfigSchema, env);
