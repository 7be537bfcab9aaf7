import { bookingChannels, seatsChangedSchema } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { SeatChangesPublisher } from '../../application/ports';

/**
 * Publishes the changed seats, whole, on the schedule's seats channel for the gateway's
 * `seatsUpdated`. ioredis's keyPrefix does not apply to channels, so the channel carries the
 * prefix explicitly. Parsed on the way out: a message the gateway cannot read would silently
 * freeze every seat map on screen.
 */
export function createRedisSeatChangesPublisher(redis: Redis, keyPrefix: string): SeatChangesPublisher {
  return {
    async publish(scheduleId, seats, at) {
      const message = seatsChangedSchema.parse({
        scheduleId,
        seats: seats.map(({ id, section, row, number, price, status }) => ({ id, section, row, number, price, status })),
        at: at.toISOString(),
      });
      await redis.publish(bookingChannels.seats(keyPrefix, scheduleId), JSON.stringify(message));
    },
  };
}
