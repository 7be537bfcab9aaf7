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
  /** Per channel: its local listeners and the SUBSCRIBE they all wait for. */
  const channels = new Map<string, { listeners: Set<Listener>; subscribed: Promise<unknown> }>();

  subscriber.on('message', (channel: string, message: string) => {
    for (const listener of channels.get(channel)?.listeners ?? []) {
      try {
        listener(message);
      } catch (error) {
        logger.error({ err: error, channel }, 'realtime listener failed');
      }
    }
  });

  const leave = (channel: string, listener: Listener) => {
    const entry = channels.get(channel);
    if (!entry?.listeners.delete(listener) || entry.listeners.size > 0) return;
    channels.delete(channel);
    subscriber.unsubscribe(channel).catch((error: unknown) => logger.warn({ err: error, channel }, 'unsubscribe failed'));
  };

  return {
    /**
     * Resolves once Redis confirmed the subscription, so no message published after it is missed;
     * a listener joining a channel whose SUBSCRIBE is still on its way waits for it too.
     */
    async listen(channel: string, listener: Listener): Promise<() => void> {
      let entry = channels.get(channel);
      if (!entry) {
        entry = { listeners: new Set(), subscribed: subscriber.subscribe(channel) };
        channels.set(channel, entry);
      }
      entry.listeners.add(listener);
      try {
        await entry.subscribed;
      } catch (error) {
        leave(channel, listener);
        throw error;
      }
      return () => leave(channel, listener);
    },
    channelCount: () => channels.size,
    /** A subscriber connection answers PING even in subscribe mode. */
    ping: () => subscriber.ping(),
    close: () => subscriber.quit().then(() => undefined),
  };
}

export type RedisFanout = ReturnType<typeof createRedisFanout>;
