import { queueTicketChangedSchema, realtimeChannels } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { TicketChangePublisher } from '../../application/ports';

/**
 * Publishes on the schedule's ticket channel for the gateway's `queueTicketUpdated`. Channels
 * are not prefixed by the client, so the channel names the prefix itself; parsed on the way out
 * like every message the gateway reads.
 */
export function createRedisTicketChangePublisher(redis: Redis, keyPrefix: string): TicketChangePublisher {
  return {
    async publish(change) {
      const message = queueTicketChangedSchema.parse(change);
      await redis.publish(realtimeChannels.queueTicket(keyPrefix, message.scheduleId), JSON.stringify(message));
    },
  };
}
