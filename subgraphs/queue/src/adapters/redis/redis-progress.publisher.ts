import { queueProgressSchema, realtimeChannels } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { ProgressPublisher } from '../../application/ports';

/**
 * Publishes on the schedule's progress channel for the gateway's subscriptions. The client's
 * key prefix does not apply to channels, so the channel names it explicitly. Parsed on the way
 * out: a message the gateway could not read would silently freeze every waiting fan's screen.
 */
export function createRedisProgressPublisher(redis: Redis, keyPrefix: string): ProgressPublisher {
  return {
    async publish(progress) {
      const message = queueProgressSchema.parse(progress);
      await redis.publish(realtimeChannels.queueProgress(keyPrefix, message.scheduleId), JSON.stringify(message));
    },
  };
}
