import Redis, { type RedisOptions } from 'ioredis';

/** A Redis client whose keys all live under the deployment's (or test run's) prefix. */
export function createRedis(url: string, keyPrefix = '', options: RedisOptions = {}): Redis {
  return new Redis(url, { keyPrefix, maxRetriesPerRequest: 2, enableAutoPipelining: true, ...options });
}

export type { Redis };

/** The field in which a hash that renews its own expiry (HASH_EXPIRY_LUA) keeps it, in ms. */
export const HASH_EXPIRY_FIELD = '~expires';

/**
 * For a Lua script that writes a hash which must outlive its newest entry by a TTL: setting the
 * key's expiry on every write is a command per write, so the hash keeps its expiry in a field the
 * script reads with the fields it reads anyway. `expiryToSet(fields, read, now, ttl)` (all in ms)
 * answers nil when the expiry read still covers `now + ttl`; otherwise it adds the field, set two
 * TTLs on, to `fields` (the script's HSET list) and answers that time, for the script to set as
 * the key's expiry. A busy hash's expiry is then set about once per TTL, and the hash lives at
 * least one TTL and at most two after its last write.
 */
export const HASH_EXPIRY_LUA = `
local function expiryToSet(fields, read, now, ttl)
  local expires = tonumber(read)
  if expires and expires >= now + ttl then return nil end
  expires = now + 2 * ttl
  fields[#fields + 1] = '${HASH_EXPIRY_FIELD}'
  fields[#fields + 1] = string.format('%d', expires)
  return expires
end`;
