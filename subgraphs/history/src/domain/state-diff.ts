import type { Fold } from './folds';

/** What verify compares: a booking (booking's database) or a wallet (payment's). */
export type Entity = 'booking' | 'wallet';

export type Difference =
  | { kind: 'MissingInStore'; entity: Entity; id: string }
  | { kind: 'MissingInDatabase'; entity: Entity; id: string }
  | { kind: 'FieldMismatch'; entity: Entity; id: string; field: string; store: unknown; database: unknown }
  /** The stream exists but is not a history the service could have written (a gap, an illegal step). */
  | { kind: 'Unfoldable'; entity: Entity; id: string; reason: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Every difference between the folds of the store's streams and the rows of a database, by id:
 * a row without a stream, a stream without a row, and each compared field that disagrees (with
 * both values). Sorted by id, so two runs over the same state print the same lines.
 */
export function diffStates<T extends object>(
  entity: Entity,
  fromStore: ReadonlyMap<string, Fold<T>>,
  fromDatabase: ReadonlyMap<string, T>,
  fields: readonly (keyof T & string)[],
): Difference[] {
  const differences: Difference[] = [];
  const ids = [...new Set([...fromStore.keys(), ...fromDatabase.keys()])].sort();
  for (const id of ids) {
    const fold = fromStore.get(id);
    const row = fromDatabase.get(id);
    if (!fold) differences.push({ kind: 'MissingInStore', entity, id });
    else if (fold.kind === 'Unfoldable') differences.push({ kind: 'Unfoldable', entity, id, reason: fold.reason });
    else if (!row) differences.push({ kind: 'MissingInDatabase', entity, id });
    else {
      for (const field of fields) {
        if (!same(fold.state[field], row[field])) differences.push({ kind: 'FieldMismatch', entity, id, field, store: fold.state[field], database: row[field] });
      }
    }
  }
  return differences;
}

/** One line per difference, for a terminal or a log. */
export function describeDifference(difference: Difference): string {
  const subject = `${difference.entity} ${difference.id}`;
  switch (difference.kind) {
    case 'MissingInStore':
      return `${subject}: in the database, missing in the store`;
    case 'MissingInDatabase':
      return `${subject}: in the store, missing in the database`;
    case 'FieldMismatch':
      return `${subject}: ${difference.field} store=${JSON.stringify(difference.store)} database=${JSON.stringify(difference.database)}`;
    case 'Unfoldable':
      return `${subject}: the stream cannot be folded: ${difference.reason}`;
  }
}
