import { createRedis, type Redis } from '@ticketing/platform';

/**
 * A command unanswered this long is rejected (ioredis' commandTimeout). The queue's commands are
 * short scripts and reads that Redis answers in microseconds; the bound only matters for one that
 * will never be answered (below).
 */
export const QUEUE_REDIS_COMMAND_TIMEOUT_MS = 5_000;

/**
 * The queue's Redis client. A command in flight when Redis dies is not sent again on reconnect: it
 * would run before the restore and could hand out a number the restore is about to give back
 * (redis-restart.watch.ts). ioredis 5 then drops such a command without settling its promise
 * (redis/ioredis#2193, fixed upstream in #2194 for ioredis 6), so whatever awaited it waited for
 * ever: a fan's request, the admission loop, the restart check that reopens the rooms. The
 * command timeout rejects it instead, and each of those retries.
 */
export function createQueueRedis(url: string, keyPrefix: string): Redis {
  return createRedis(url, keyPrefix, { autoResendUnfulfilledCommands: false, commandTimeout: QUEUE_REDIS_COMMAND_TIMEOUT_MS });
}
