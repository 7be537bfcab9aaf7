/**
 * A consumer's pauses between fetches (`gatherMs` of `MessageBus.consume` and `consumeBatches`),
 * which its stop cuts short: a stopping consumer must not wait out a pause to leave its group.
 */
export interface Pauses {
  /** Resolves after `ms`, or at once once the pauses ended. */
  pause(ms: number): Promise<void>;
  /** Ends every pause now and any later one at once. */
  end(): void;
}

export function createPauses(): Pauses {
  const waiting = new Set<() => void>();
  let ended = false;
  return {
    pause(ms) {
      if (ended) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
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
export async function disconnectPausing(consumer: { disconnect: () => Promise<void> }, pauses: Pauses): Promise<void> {
  const disconnected = consumer.disconnect();
  pauses.end();
  await disconnected;
}
