import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createRedis, type Redis } from '@ticketing/platform';
import { testSystem } from '@ticketing/test-support';

/** Helpers shared by the gateway's subscription specs: real WebSocket clients, real Redis. */

export const wsUrl = () => testSystem().gatewayUrl.replace(/^http/, 'ws');
export const redisPrefix = () => testSystem().env['REDIS_KEY_PREFIX'] ?? '';

const clients: Client[] = [];
let publisher: Redis | undefined;

/** A graphql-ws client as a web or mobile app opens one, signed in when given a token. */
export function connect(token?: string): Client {
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  clients.push(client);
  return client;
}

/** The next payload of a subscription, or a clear failure if none comes (no speed is asserted). */
export async function nextOf<T>(iterator: AsyncIterator<T>, what: string, seconds = 20): Promise<T> {
  const result = await within(iterator.next(), `no ${what}`, seconds);
  if (result.done) throw new Error(`subscription ended before ${what}`);
  return result.value;
}

/** Asserts that the server completed the subscription (nothing more comes). */
export async function expectEnded(iterator: AsyncIterator<unknown>, seconds = 20): Promise<void> {
  const result = await within(iterator.next(), 'end of the subscription', seconds);
  if (!result.done) throw new Error(`expected the end of the subscription, got ${JSON.stringify(result.value)}`);
}

async function within<T>(promise: Promise<T>, what: string, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Publishes on a realtime channel as the subgraphs' relays do (objects as JSON, strings as they are). */
export async function publish(channel: string, message: unknown): Promise<void> {
  publisher ??= createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  await publisher.publish(channel, typeof message === 'string' ? message : JSON.stringify(message));
}

/**
 * Waits until the gateway has subscribed to a channel: for streams that push nothing at first,
 * this is the moment from which a publish reaches the subscriber.
 */
export async function untilSubscribed(channel: string, seconds = 20): Promise<void> {
  publisher ??= createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const [, count] = (await publisher.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(count) > 0) return;
    if (Date.now() > deadline) throw new Error(`nobody subscribed to ${channel} within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function closeClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  publisher?.disconnect();
  publisher = undefined;
}
