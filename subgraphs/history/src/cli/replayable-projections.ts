import type { Db } from '@ticketing/event-store';
import { bookingTimelineProjection, BOOKING_TIMELINE } from '../application/booking-timeline.projection';
import type { ReplayableProjection } from '../application/replay-projection';
import { createMongoTimelineStore, TIMELINES_COLLECTION } from '../adapters/mongo/mongo-timeline.store';

const NAMESPACE_NOT_FOUND = 26;

/** Drops a collection; one that was never created is already empty. */
async function drop(db: Db, collection: string): Promise<void> {
  await db
    .collection(collection)
    .drop()
    .catch((error: unknown) => {
      if ((error as { code?: number }).code !== NAMESPACE_NOT_FOUND) throw error;
    });
}

/**
 * Every read model `history:replay` can rebuild, built as main.ts builds it (the same apply)
 * plus how to empty it. A new projection is one entry here.
 */
export function replayableProjections(db: Db): Record<string, ReplayableProjection> {
  const timelines = createMongoTimelineStore(db);
  return {
    [BOOKING_TIMELINE]: {
      projection: bookingTimelineProjection(timelines),
      reset: async () => {
        await drop(db, TIMELINES_COLLECTION);
        await timelines.ensureIndexes();
      },
    },
  };
}
