/**
 * The store's raw write ceiling, measured beside the replay: the same documents (envelope +
 * globalPosition + recordedAt, as `events` holds them) inserted into a scratch collection of the
 * same database, one unordered `insertMany` of `batchSize` at a time, as the replay writes. Twice:
 * bare (only `_id`), and with every index the run's `events` collection carries.
 */
import { randomBytes } from 'node:crypto';
import type { EventEnvelope } from '@ticketing/contracts';
import { EVENTS_COLLECTION, MongoClient, toEventDocument } from '@ticketing/event-store';

export interface InsertCeiling {
  indexes: string[];
  events: number;
  batchSize: number;
  seconds: number;
  perSecond: number;
}

export async function insertCeiling(options: {
  url: string;
  envelopes: readonly EventEnvelope[];
  batchSize: number;
  /** Copy the indexes of the store's `events` collection onto the scratch one first. */
  withStoreIndexes: boolean;
}): Promise<InsertCeiling> {
  const client = new MongoClient(options.url, { appName: 'bench-insert-ceiling' });
  const db = client.db();
  const scratch = db.collection(`bench_ceiling_${randomBytes(4).toString('hex')}`);
  try {
    const indexes: string[] = [];
    if (options.withStoreIndexes) {
      for (const index of await db.collection(EVENTS_COLLECTION).listIndexes().toArray()) {
        if (index['name'] === '_id_') continue;
        // One index per command: FerretDB 1.24 panics on some multi-index createIndexes (see the store).
        await scratch.createIndex(index['key'] as Record<string, 1 | -1>, { name: String(index['name']), unique: index['unique'] === true });
        indexes.push(String(index['name']));
      }
    } else {
      await db.createCollection(scratch.collectionName);
    }
    const recordedAt = new Date();
    const documents = options.envelopes.map((envelope, i) => toEventDocument(envelope, i + 1, recordedAt));
    const started = performance.now();
    for (let from = 0; from < documents.length; from += options.batchSize) {
      await scratch.insertMany(documents.slice(from, from + options.batchSize), { ordered: false });
    }
    const seconds = (performance.now() - started) / 1000;
    return { indexes, events: documents.length, batchSize: options.batchSize, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(documents.length / seconds) };
  } finally {
    await scratch.drop().catch(() => undefined);
    await client.close();
  }
}
