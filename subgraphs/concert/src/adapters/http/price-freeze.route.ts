import type express from 'express';
import { CONCERT_PRICE_FREEZE_PATH, priceFreezeRequestSchema, type PriceFreezeVerdict } from '@ticketing/contracts';
import { mountInternalJsonRoute, Role, type AccessTokenSettings, type Logger } from '@ticketing/platform';
import type { freezePricesCommand } from '../../application/freeze-prices.command';

/**
 * `POST /internal/schedules/freeze-prices` (contracts: concert-price-freeze.ts) for the queue's
 * admission workers. Freezing prices is an admin's power: the caller presents an ADMIN access
 * token (the queue signs its own with the shared JWT secret), never a fan's.
 */
export function mountPriceFreezeRoute(
  app: express.Express,
  deps: { freezePrices: ReturnType<typeof freezePricesCommand>; accessTokens: AccessTokenSettings; logger: Logger },
): void {
  mountInternalJsonRoute(app, CONCERT_PRICE_FREEZE_PATH, {
    accessTokens: deps.accessTokens,
    logger: deps.logger,
    // A freeze request is one id; anything bigger is refused unread.
    bodyLimitBytes: 4 * 1024,
    schema: priceFreezeRequestSchema,
    expected: '{ scheduleId }',
    role: Role.ADMIN,
    handle: async (_admin, { scheduleId }): Promise<PriceFreezeVerdict> => {
      const result = await deps.freezePrices(scheduleId);
      return result.kind === 'PricesFrozen' ? { frozen: true, frozenAt: result.frozenAt.toISOString() } : { frozen: false, reason: 'UNKNOWN_SCHEDULE' };
    },
  });
}
