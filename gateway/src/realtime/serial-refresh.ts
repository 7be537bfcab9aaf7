/**
 * Re-reads one thing for one subscriber, one read at a time: asks that arrive during a read
 * coalesce into one more read after it, so pushes keep the thing's order and a burst of changes
 * costs two reads, not one each. A failed read fails the subscription.
 */
export function createSerialRefresh<S>(steps: { read: () => Promise<S>; deliver: (state: S) => void; fail: (error: unknown) => void; ended: () => boolean }) {
  let reading = false;
  let again = false;
  const refresh = () => {
    if (reading) return void (again = true);
    reading = true;
    void (async () => {
      try {
        do {
          again = false;
          steps.deliver(await steps.read());
        } while (again && !steps.ended());
      } catch (error) {
        steps.fail(error);
      } finally {
        reading = false;
      }
    })();
  };
  return { refresh, busy: () => reading };
}
