/**
 * A consumer's pause between fetches (`gatherMs` of `MessageBus.consume` and `consumeBatches`),
 * which its stop cuts short: a stopping consumer must not wait out a pause to leave its group.
 */
export interface Gather {
  /**
   * At the end of a fetched batch: waits `gatherMs`. kafkajs fetches again only once every
   * partition's batch of a fetch has returned, so this holds the next fetch back. No wait when
   * `gatherMs` is 0, when the consumer is stopping or the batch stale (a rebalance), or once the
   * gather ended.
   */
  afterBatch(batch: { isRunning: () => boolean; isStale: () => boolean }): Promise<void>;
  /** Ends the pause now and any later one at once. */
  end(): void;
}

export function createGather(gatherMs = 0): Gather {
  const waiting = new Set<() => void>();
  let ended = false;
  return {
    afterBatch({ isRunning, isStale }) {
      if (gatherMs <= 0 || ended || !isRunning() || isStale()) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, gatherMs);
        waiting.add(done);
      });
    },
    end() {
      ended = true;
      for (const done of [...waiting]) done();
    },
  };
}

/**
 * Disconnects a consumer that may be pausing between fetches. kafkajs marks its runner stopped in
 * `disconnect`'s first synchronous steps and then waits for the batch in hand, so the pause is
 * ended only after that mark: the batch, resumed, sees it stopped, commits what it handled (see
 * the consumers' eachBatch) and fetches nothing more. Ended first, the batch would return to a
 * running consumer, which could fetch and handle another batch before it stopped.
 */
export async function disconnectGathering(consumer: { disconnect: () => Promise<void> }, gather: Gather): Promise<void> {
  const disconnected = consumer.disconnect();
  gather.end();
  await disconnected;
}
