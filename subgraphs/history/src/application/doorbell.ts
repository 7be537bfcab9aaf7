/** One listener's bell: a ring while it is busy is kept, so its next nap ends at once. */
export interface Bell {
  /** Resolves after `ms`, when the bell rings, or when `signal` aborts, whichever is first. */
  nap: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Wakes every projection runner of this process when the archiver has stored events, so a
 * projection follows the archive within one round instead of one poll: polling the store is a
 * collection scan on FerretDB, so runners poll rarely and are woken instead. Events another
 * instance archived are still found by the poll.
 */
export function createDoorbell() {
  const bells = new Set<{ rung: boolean; wake?: () => void }>();
  return {
    ring(): void {
      for (const bell of bells) {
        bell.rung = true;
        bell.wake?.();
      }
    },
    bell(): Bell {
      const state: { rung: boolean; wake?: () => void } = { rung: false };
      bells.add(state);
      return {
        nap: (ms, signal) =>
          new Promise<void>((resolve) => {
            if (signal.aborted || state.rung) {
              state.rung = false;
              return resolve();
            }
            const done = () => {
              clearTimeout(timer);
              signal.removeEventListener('abort', done);
              state.wake = undefined;
              state.rung = false;
              resolve();
            };
            const timer = setTimeout(done, ms);
            signal.addEventListener('abort', done);
            state.wake = done;
          }),
      };
    },
  };
}

export type Doorbell = ReturnType<typeof createDoorbell>;

/** A bell nobody rings: naps last their time (replays and specs that only poll). */
export const silentBell = (): Bell => createDoorbell().bell();
