import type { Logger } from '@ticketing/platform';

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read: one past the last message handled. */
  offset: string;
}

export interface OffsetCommitter {
  /** `offset` of `topic`/`partition` was handled (and everything before it on that partition). */
  handled(topic: string, partition: number, offset: string): void;
  /** Commits what is pending now; at stop, and whenever the interval comes round. */
  flush(): Promise<void>;
}

/**
 * Commits a consumer group's handled offsets together, at most once per `intervalMs`, instead of
 * once per fetched batch. Under an on-sale each fetch brings one or two messages, so committing
 * per batch was an OffsetCommit (a write to `__consumer_offsets` on the broker) per event per
 * group: most of what Kafka's CPU did for a hold. Delivery stays at-least-once: a crash or a
 * rebalance before the commit redelivers at most an interval of messages, which the inbox (or a
 * listener's harmless repeat) absorbs. Offsets only move forward; nothing ticks while idle.
 */
export function createOffsetCommitter(options: { commit: (offsets: PartitionOffset[]) => Promise<void>; intervalMs: number; logger: Logger; groupId: string }): OffsetCommitter {
  const pending = new Map<string, PartitionOffset>();
  const highest = new Map<string, bigint>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const offsets = [...pending.values()];
    pending.clear();
    await options.commit(offsets);
  };

  return {
    handled(topic, partition, offset) {
      const key = `${topic}:${partition}`;
      const next = BigInt(offset) + 1n;
      // A redelivery after a failed batch may hand an older offset again: never commit backwards.
      if ((highest.get(key) ?? -1n) >= next) return;
      highest.set(key, next);
      pending.set(key, { topic, partition, offset: next.toString() });
      timer ??= setTimeout(() => {
        // A commit refused by a rebalance loses nothing but a redelivery, which the inbox absorbs.
        flush().catch((error: unknown) => options.logger.warn({ err: error, groupId: options.groupId }, 'offset commit failed; those messages may be delivered again'));
      }, options.intervalMs);
    },
    flush,
  };
}
