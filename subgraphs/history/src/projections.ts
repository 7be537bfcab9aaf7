import type { Db } from '@ticketing/event-store';
import { bookingTimelineProjection, BOOKING_TIMELINE } from './application/booking-timeline.projection';
import type { SalesNotifier } from './application/ports';
import type { ReplayableProjection } from './application/replay-projection';
import { salesDashboardProjection, SALES_DASHBOARD } from './application/sales-dashboard.projection';
import {
  createMongoSalesStore,
  SALES_BOOKINGS_COLLECTION,
  SALES_DASHBOARDS_COLLECTION,
  SALES_SEATS_COLLECTION,
} from './adapters/mongo/mongo-sales.store';
import { createMongoTimelineStore, TIMELINES_COLLECTION } from './adapters/mongo/mongo-timeline.store';

const NAMESPACE_NOT_FOUND = 26;

/** Drops collections; one that was never created is already empty. */
async function drop(db: Db, collections: readonly string[]): Promise<void> {
  for (const collection of collections) {
    await db
      .collection(collection)
      .drop()
      .catch((error: unknown) => {
        if ((error as { code?: number }).code !== NAMESPACE_NOT_FOUND) throw error;
      });
  }
}

/**
 * Every read model, built one way for the running subgraph and for `history:replay`: its
 * projection, its store (what the GraphQL reads use), how to prepare it and how to empty it.
 * A new projection is one entry here.
 */
export function createProjections(db: Db, notifier: SalesNotifier) {
  const timelines = createMongoTimelineStore(db);
  const sales = createMongoSalesStore(db);
  const projections: Record<string, ReplayableProjection> = {
    [BOOKING_TIMELINE]: {
      projection: bookingTimelineProjection(timelines),
      prepare: () => timelines.ensureIndexes(),
      reset: () => drop(db, [TIMELINES_COLLECTION]),
    },
    [SALES_DASHBOARD]: {
      projection: salesDashboardProjection(sales, notifier),
      prepare: () => sales.ensureIndexes(),
      reset: () => drop(db, [SALES_DASHBOARDS_COLLECTION, SALES_SEATS_COLLECTION, SALES_BOOKINGS_COLLECTION]),
    },
  };
  return { timelines, sales, projections };
}
