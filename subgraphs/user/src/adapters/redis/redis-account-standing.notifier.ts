import { accountStanding, accountStandingSchema } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { AccountStandingNotifier } from '../../application/ports';

/**
 * Stores the standing unless a newer version is already there, and publishes it, in one script:
 * two user instances announcing out of commit order cannot leave an older standing in Redis.
 * KEYS[1] is the hash (keyPrefix applies); ARGV: userId, version, standing JSON, channel.
 */
const ANNOUNCE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(cjson.decode(current).version) > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[3])
return 1
`;

export function createRedisAccountStandingNotifier(redis: Redis, keyPrefix: string): AccountStandingNotifier {
  return {
    async announce(standing) {
      const message = JSON.stringify(accountStandingSchema.parse(standing));
      await redis.eval(ANNOUNCE, 1, accountStanding.key, standing.userId, String(standing.version), message, accountStanding.channel(keyPrefix));
    },
  };
}
