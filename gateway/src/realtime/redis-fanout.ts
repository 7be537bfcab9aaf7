import type { Redis } from '@ticketing/platform';
import type { Logger } from '@ticketing/platform';

type Listener = (message: string) => void;

/**
 * One Redis subscriber connection per gateway process, shared by every WebSocket subscription.
 * A Redis connection in subscribe mode can run no other command, hence its own connection; a
 * channel is SUBSCRIBEd once however many local subscribers want it, and UNSUBSCRIBEd when the
 * last one leaves, so Redis fan-out cost is per gateway, not per fan.
 */
export function createRedisFanout(subscriber: Redis, logger: Logger) {
  const listeners = new Map<string, Set<Listener>>();

  subscriber.on('message', (channel: string, message: string) => {
    for (const listener of listeners.get(channel) ?? []) {
      try {
        listener(message);
      } catch (error) {
        logger.error({ err: error, channel }, 'realtime listener failed');
      }
    }
  });

  return {
    /** Resolves once Redis confirmed the subscription, so no message published after it is missed. */
    async listen(channel: string, listener: Listener): Promise<() => void> {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(listener);
      return () => {
        const current = listeners.get(channel);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) {
          listeners.delete(channel);
          subscriber.unsubscribe(channel).catch((error: unknown) => logger.warn({ err: error, channel }, 'unsubscribe failed'));
        }
      };
    },
    channelCount: () => listeners.size,
    /** A subscriber connection answers PING even in subscribe mode. */
    ping: () => subscriber.ping(),
    close: () => subscriber.quit().then(() => undefined),
  };
}

export type RedisFanout = ReturnType<typeof createRedisFanout>;
