import { z } from 'zod';

/**
 * The catalog's price freeze, served by every concert process on its own port (not through the
 * gateway): a queue's admission worker calls it before it admits a schedule's first fan, and
 * admits nobody until it has answered `frozen`. The freeze commits under the schedule's row lock,
 * the lock every price change takes, so a price change either committed before the freeze (and
 * every admitted fan sees it) or is refused with PRICE_FROZEN. The caller authenticates with an
 * ADMIN access token. Answers 200 with a verdict, 400 for a malformed body, 401/403 otherwise.
 */
export const CONCERT_PRICE_FREEZE_PATH = '/internal/schedules/freeze-prices';

/** The route on a concert process, from its GraphQL URL (CONCERT_URL, e.g. `http://127.0.0.1:4002/graphql`). */
export const concertPriceFreezeUrl = (concertUrl: string) => new URL(CONCERT_PRICE_FREEZE_PATH, concertUrl).toString();

export const priceFreezeRequestSchema = z.object({ scheduleId: z.string().max(100) });
export type PriceFreezeRequest = z.infer<typeof priceFreezeRequestSchema>;

export const priceFreezeVerdictSchema = z.discriminatedUnion('frozen', [
  /** Prices of the schedule change no more; `frozenAt` is the first freeze's instant. */
  z.object({ frozen: z.literal(true), frozenAt: z.iso.datetime({ offset: true }) }),
  z.object({ frozen: z.literal(false), reason: z.enum(['UNKNOWN_SCHEDULE']) }),
]);
export type PriceFreezeVerdict = z.infer<typeof priceFreezeVerdictSchema>;
