interface Submitted<T> {
  items: readonly T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Joins what callers hand over in the same turn of the event loop into one call of `handle`:
 * whole submissions in arrival order, up to `limit` items a call (a larger submission goes alone).
 * Each caller's promise settles with the call its items went into. Calls of one turn run at once.
 *
 * kafkajs starts the `eachBatch` of every partition of one fetch in the same turn (its workers
 * take them together), so a consumer that handles several messages in one transaction makes one
 * per fetch through this instead of one per partition (issue 10). Each partition still gives its
 * messages in order; messages of different partitions share no key, so no order between them.
 */
export function joinSameTurn<T>(handle: (items: T[]) => Promise<void>, limit: number): (items: readonly T[]) => Promise<void> {
  let waiting: Submitted<T>[] = [];

  const run = (group: Submitted<T>[]) => {
    const items = group.flatMap((submitted) => submitted.items);
    (async () => handle(items))().then(
      () => group.forEach((submitted) => submitted.resolve()),
      (error: unknown) => group.forEach((submitted) => submitted.reject(error)),
    );
  };

  const flush = () => {
    const submitted = waiting;
    waiting = [];
    let group: Submitted<T>[] = [];
    let size = 0;
    for (const next of submitted) {
      if (group.length > 0 && size + next.items.length > limit) {
        run(group);
        group = [];
        size = 0;
      }
      group.push(next);
      size += next.items.length;
    }
    if (group.length > 0) run(group);
  };

  return (items) =>
    new Promise<void>((resolve, reject) => {
      // setImmediate: after the turn's other submissions and every promise reaction they queued.
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ items, resolve, reject });
    });
}
