import type { Db } from '@ticketing/event-store';
import type { CheckpointStore } from '../../application/ports';

export const CHECKPOINTS_COLLECTION = 'checkpoints';

interface CheckpointDocument {
  /** The projection's name. */
  _id: string;
  position: number;
  updatedAt: Date;
}

/**
 * One document per projection. A plain single-document upsert: only the lease holder writes it,
 * and a stale write from a holder that lost its lease only makes the next holder re-apply events,
 * which projections absorb (their apply is idempotent).
 */
export function createMongoCheckpointStore(db: Db): CheckpointStore {
  const checkpoints = db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION);
  return {
    async load(projection) {
      return (await checkpoints.findOne({ _id: projection }))?.position ?? 0;
    },
    async save(projection, position) {
      await checkpoints.updateOne({ _id: projection }, { $set: { position, updatedAt: new Date() } }, { upsert: true });
    },
  };
}
