import { concertPriceFreezeUrl, priceFreezeVerdictSchema } from '@ticketing/contracts';
import { issueAccessToken, Role, serviceFetch, type AccessTokenSettings } from '@ticketing/platform';
import type { PriceFreezer } from '../../application/ports';

/** The queue's own identity when it acts as an admin towards the catalog (no user has this id). */
export const QUEUE_SERVICE_USER_ID = '00000000-0000-4000-8000-00000000a0e0';

/**
 * Asks the concert subgraph to freeze a schedule's prices (contracts: concert-price-freeze.ts)
 * with an ADMIN token it signs itself, fresh per call: a queue calls this once per schedule
 * when it first has someone to admit, so there is nothing to cache. Any failure throws and the
 * worker admits nobody until a later tick succeeds.
 */
export function createConcertPriceFreezer(options: { concertUrl: string; accessTokens: AccessTokenSettings; timeoutMs?: number }): PriceFreezer {
  const url = concertPriceFreezeUrl(options.concertUrl);
  return {
    async freeze(scheduleId) {
      const token = issueAccessToken({ userId: QUEUE_SERVICE_USER_ID, role: Role.ADMIN }, options.accessTokens);
      const response = await serviceFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ scheduleId }),
        timeoutMs: options.timeoutMs ?? 3_000,
      });
      if (!response.ok) throw new Error(`concert price freeze answered HTTP ${response.status}`);
      const verdict = priceFreezeVerdictSchema.parse(await response.json());
      return verdict.frozen ? 'Frozen' : 'UnknownSchedule';
    },
  };
}
