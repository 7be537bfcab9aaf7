import { randomUUID } from 'node:crypto';
import { sql } from './database';

/** A concert with one schedule in this run's concert database, opening at `opensAt`. */
export async function createSchedule(opensAt: Date): Promise<string> {
  const concertId = randomUUID();
  const scheduleId = randomUUID();
  await sql('concert', 'INSERT INTO concerts (id, title, artist, venue) VALUES ($1, $2, $3, $4)', [
    concertId,
    `Test concert ${concertId.slice(0, 8)}`,
    'Test Artist',
    'Test Hall',
  ]);
  await sql('concert', 'INSERT INTO schedules (id, concert_id, starts_at, booking_opens_at) VALUES ($1, $2, $3, $4)', [
    scheduleId,
    concertId,
    new Date(Math.max(opensAt.getTime(), Date.now()) + 30 * 24 * 3600_000),
    opensAt,
  ]);
  return scheduleId;
}

/** A schedule whose booking opened a minute ago. */
export const openSchedule = () => createSchedule(new Date(Date.now() - 60_000));

/** Runs `task` over `items` with at most `limit` in flight (signing up fans, setup work). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!, index);
      }
    }),
  );
  return results;
}

/**
 * Polls `probe` every 50 ms until it returns a value (anything but undefined or false), or fails
 * naming `what` after `timeoutMs`: for effects that arrive asynchronously (Kafka, pub/sub, ticks).
 */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
