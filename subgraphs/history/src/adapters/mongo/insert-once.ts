import { MongoBulkWriteError, MongoServerError, type Collection, type Document, type OptionalUnlessRequiredId } from '@ticketing/event-store';

const DUPLICATE_KEY = 11000;

/** True when a write failed only because the primary key was there already. */
export const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/**
 * Inserts documents whose `_id` is their identity; one already there is a no-op, never an error.
 * Unordered, so a document written before (a re-applied page) does not stop the ones after it.
 * Returns how many were there already.
 */
export async function insertOnce<T extends Document>(collection: Collection<T>, documents: ReadonlyArray<OptionalUnlessRequiredId<T>>): Promise<{ duplicates: number }> {
  if (documents.length === 0) return { duplicates: 0 };
  try {
    await collection.insertMany([...documents], { ordered: false });
    return { duplicates: 0 };
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
    return { duplicates: writeErrors.length };
  }
}
