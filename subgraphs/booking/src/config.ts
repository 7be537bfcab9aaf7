import { z } from 'zod';
import { baseConfigSchema, loadConfig, ports } from '@ticketing/platform';

export const bookingConfigSchema = baseConfigSchema.extend({
  BOOKING_PORT: ports.booking,
  BOOKING_DATABASE_URL: z.string().default('postgresql://ticketing:ticketing@127.0.0.1:5432/ticketing_booking'),
  /** How long a hold keeps seats before the sweeper releases them (API.md: default 300). */
  HOLD_TTL_SECONDS: z.coerce.number().int().min(1).max(24 * 60 * 60).default(300),
});

export type BookingConfig = z.infer<typeof bookingConfigSchema>;
export const loadBookingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(bookingConfigSchema, env);
