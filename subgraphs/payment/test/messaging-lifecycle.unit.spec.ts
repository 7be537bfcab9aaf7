import type { ServiceMessaging } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { messagingWithRetry } from '../src/adapters/messaging/messaging-lifecycle';

const logger = createLogger('payment-test', 'silent');

/** Stand-ins for the service's messaging: only start and stop matter to the lifecycle. */
function attempts(failures: number) {
  const made: Array<{ started: boolean; stopped: boolean }> = [];
  const create = () => {
    const state = { started: false, stopped: false };
    const failing = made.length < failures;
    made.push(state);
    return {
      start: async () => {
        if (failing) throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
        state.started = true;
      },
      stop: async () => void (state.stopped = true),
    } as unknown as ServiceMessaging;
  };
  return { made, create };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('condition never held');
};

describe('starting messaging while Kafka may be unreachable', () => {
  it('given two failed starts, then readiness fails meanwhile, and a fresh messaging is built for each retry until one starts', async () => {
    const { made, create } = attempts(2);
    const lifecycle = messagingWithRetry({ create, logger, firstDelayMs: 1, maxDelayMs: 5 });

    await expect(lifecycle.check()).rejects.toThrow(/not running/);
    lifecycle.start();
    await until(() => made[2]?.started === true);

    await expect(lifecycle.check()).resolves.toBeUndefined();
    expect(made).toEqual([
      { started: false, stopped: true },
      { started: false, stopped: true },
      { started: true, stopped: false },
    ]);
    await lifecycle.stop();
    expect(made[2]!.stopped).toBe(true);
  });

  it('given Kafka never answers, when the service stops, then the retries end without waiting out the backoff', async () => {
    const { made, create } = attempts(Infinity);
    const lifecycle = messagingWithRetry({ create, logger, firstDelayMs: 60_000 });
    lifecycle.start();
    await until(() => made.length === 1 && made[0]!.stopped);

    const startedAt = Date.now();
    await lifecycle.stop();

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(made).toHaveLength(1);
    await expect(lifecycle.check()).rejects.toThrow();
  });
});
