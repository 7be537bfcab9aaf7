import type { Logger, Redis } from '@ticketing/platform';

/** The Redis run id whose data the waiting rooms were last restored into (per key prefix). */
export const RESTORED_RUN_KEY = 'q:restoredRunId';

const runIdOf = (info: string) => /^run_id:(\w+)/m.exec(info)?.[1] ?? null;

/**
 * Tells when the waiting rooms must be restored from the durable record, and runs the restore:
 * whenever this process (re)connects to a Redis whose run id (new at every Redis start) is not
 * the one a restore last ran against. A Redis that restarted, from its append-only file or empty,
 * is restored once; a mere reconnect to the same Redis costs one INFO and one GET. Several queue
 * processes may restore at once: the restore is safe to repeat.
 *
 * `restoring()` is true from the moment the connection drops until the check (and restore) that
 * follows the reconnect is done, and before the first one: fans are answered "try again" then,
 * rather than given a number a restore is about to give back to someone else.
 */
export function watchRedisRestarts(redis: Redis, options: { restore: () => Promise<unknown>; logger: Pick<Logger, 'info' | 'warn' | 'error'>; retryMs?: number }) {
  const retryMs = options.retryMs ?? 1_000;
  let restoring = true;
  /** Bumped by every dropped connection: a check that began before one does not count. */
  let connection = 0;
  let checking: Promise<void> | undefined;
  /** The connection dropped (or came back) while a check ran: check again once it ends. */
  let again = false;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  const check = async () => {
    const startedOn = connection;
    const runId = runIdOf(await redis.info('server'));
    if (!runId) throw new Error('Redis INFO has no run_id');
    const restoredFor = await redis.get(RESTORED_RUN_KEY);
    if (restoredFor !== runId) {
      options.logger.warn({ runId, restoredFor }, 'Redis is new or restarted: restoring the waiting rooms from the durable record');
      await options.restore();
      await redis.set(RESTORED_RUN_KEY, runId);
    }
    if (connection === startedOn) restoring = false;
    else again = true;
  };

  const run = () => {
    if (stopped) return;
    if (checking) {
      again = true;
      return;
    }
    clearTimeout(retry);
    checking = check()
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'waiting room restore check failed; retrying');
        if (!stopped) retry = setTimeout(run, retryMs);
      })
      .finally(() => {
        checking = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };

  const onClose = () => {
    connection += 1;
    restoring = true;
  };
  redis.on('close', onClose);
  redis.on('ready', run);
  if (redis.status === 'ready') run();

  return {
    restoring: () => restoring,
    /** Resolves once a check has run since the last drop (for /ready and tests). */
    check: () => {
      if (!restoring) return Promise.resolve();
      return Promise.reject(new Error('the waiting rooms are being restored after a Redis restart'));
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      redis.off('close', onClose);
      redis.off('ready', run);
    },
  };
}
