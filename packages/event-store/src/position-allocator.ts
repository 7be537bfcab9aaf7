import { MongoServerError, type Collection } from 'mongodb';

export interface CounterDocument {
  _id: string;
  /** The highest global position handed out so far (the high-water mark). */
  next: number;
}

export interface PositionBlock {
  first: number;
  last: number;
}

const COUNTER_ID = 'events';
const DUPLICATE_KEY = 11000;
const MAX_ATTEMPTS = 10;

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/**
 * Global positions in blocks: one `$inc` on a counter document per append batch, so a batch of
 * 500 events costs one round trip, not 500. On MongoDB the `$inc` is atomic and blocks never
 * overlap. FerretDB 1.24 (SQLite) applies findAndModify as read-then-write outside a
 * transaction (FerretDB#3040): concurrent callers can get overlapping blocks and the counter can
 * even step back. The unique index on `globalPosition` is therefore the real fence (a clash is
 * retried with a fresh block by the store), and this allocator never hands its own process a
 * block at or below one it handed out before, so each appender's positions keep increasing.
 * Its own callers take turns: concurrent appends of one process (the archiver's partitions) then
 * never race each other even on FerretDB: racing ones had to reserve again past the stale
 * block, leaving holes (13% of positions in the history bench) that live projections wait on.
 * Only separate processes can still race.
 */
export function createPositionAllocator(counters: Collection<CounterDocument>) {
  let highestGiven = 0;
  let turn: Promise<unknown> = Promise.resolve();
  /** Runs after every earlier call of this process has finished, whatever its outcome. */
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  };

  async function increment(by: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await counters.findOneAndUpdate({ _id: COUNTER_ID }, { $inc: { next: by } }, { upsert: true, returnDocument: 'after' });
        if (!counter) throw new Error('the position counter upsert returned no document');
        return counter.next;
      } catch (error) {
        // Two first-ever upserts race to insert the counter; the loser simply increments it.
        if (!isDuplicateKey(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async function allocateNow(count: number): Promise<PositionBlock> {
    let extra = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const last = await increment(count + extra);
      const first = last - count + 1;
      if (first > highestGiven) {
        highestGiven = last;
        return { first, last };
      }
      // A stale counter (FerretDB lost update): move it past what this process already holds.
      extra = highestGiven - first + 1;
    }
    throw new Error(`no fresh block of ${count} positions after ${MAX_ATTEMPTS} attempts`);
  }

  return {
    /** Reserves `count` consecutive positions. */
    async allocate(count: number): Promise<PositionBlock> {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot allocate ${count} positions`);
      return inTurn(() => allocateNow(count));
    },

    /** Every position up to this one has been reserved (written, in flight, or a gap). */
    async highWaterMark(): Promise<number> {
      const counter = await counters.findOne({ _id: COUNTER_ID });
      return counter?.next ?? 0;
    },

    /** Creates the counter once, so the first appends do not all race to upsert it. */
    async ensureCounter(): Promise<void> {
      try {
        await counters.updateOne({ _id: COUNTER_ID }, { $setOnInsert: { next: 0 } }, { upsert: true });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
  };
}

export type PositionAllocator = ReturnType<typeof createPositionAllocator>;
