import Redis, { type RedisOptions } from 'ioredis';

/** A Redis client whose keys all live under the deployment's (or test run's) prefix. */
export function createRedis(url: string, keyPrefix = '', options: RedisOptions = {}): Redis {
  return new Redis(url, { keyPrefix, maxRetriesPerRequest: 2, enableAutoPipelining: true, ...options });
}

export type { Redis };
