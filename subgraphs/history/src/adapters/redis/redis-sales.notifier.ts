import { historyChannels, salesChangedSchema } from '@ticketing/contracts';
import type { Redis } from '@ticketing/platform';
import type { SalesNotifier } from '../../application/ports';

/**
 * One message per moved dashboard on its schedule's sales channel (the gateway's `salesUpdated`),
 * pipelined. ioredis's keyPrefix does not apply to channels, so the channel carries the prefix.
 */
export function createRedisSalesNotifier(redis: Redis, keyPrefix: string): SalesNotifier {
  return {
    async changed(changes) {
      const pipeline = redis.pipeline();
      for (const change of changes) {
        pipeline.publish(historyChannels.sales(keyPrefix, change.scheduleId), JSON.stringify(salesChangedSchema.parse(change)));
      }
      await pipeline.exec();
    },
  };
}
