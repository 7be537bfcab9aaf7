import { randomUUID } from 'node:crypto';
import { createEventStore, dropEventStoreDatabase, MongoClient, type EventStore, type StoredEvent } from '@ticketing/event-store';
import { createRedis, type Redis } from '@ticketing/platform';
import { bookingTimelineProjection, BOOKING_TIMELINE } from '../src/application/booking-timeline.projection';
import type { Projection } from '../src/application/ports';
import { createProjectionRunner } from '../src/application/projection-runner';
import { createMongoCheckpointStore } from '../src/adapters/mongo/mongo-checkpoint.store';
import { createMongoTimelineStore, TIMELINES_COLLECTION } from '../src/adapters/mongo/mongo-timeline.store';
import { createRedisLease } from '../src/adapters/redis/redis-lease';
import { paidBookingEvents, quietLogger, REDIS_URL, specStoreUrl } from './support';

/*
 * The projection runner against real FerretDB and Redis, on a store database of this spec's own:
 * resuming after a crash between apply and checkpoint, one runner per projection, the lease race.
 */
const BOOKINGS = 50;
const BATCH = 25;

let url: string;
let store: EventStore;
let client: MongoClient;
let redis: Redis;
let leaseKey: string;
const events: ReturnType<typeof paidBookingEvents>[] = [];

beforeAll(async () => {
  url = specStoreUrl('projection');
  store = createEventStore({ url });
  await store.ensureIndexes();
  client = new MongoClient(url);
  redis = createRedis(REDIS_URL, `history-spec:${randomUUID()}:`);
  leaseKey = `lease:${BOOKING_TIMELINE}`;
  for (let i = 0; i < BOOKINGS; i++) events.push(paidBookingEvents());
  await store.append(events.flat());
});

afterAll(async () => {
  await redis.quit();
  await client.close();
  await store.close();
  await dropEventStoreDatabase(url);
});

const timelines = () => createMongoTimelineStore(client.db());

function runnerFor(projection: Projection, lease = createRedisLease(redis, leaseKey, 5_000)) {
  return createProjectionRunner({
    projection,
    source: store,
    checkpoints: createMongoCheckpointStore(client.db()),
    lease,
    logger: quietLogger(),
    batchSize: BATCH,
    pollMs: 20,
    maxGapWaitMs: 200,
    renewEveryMs: 1_000,
  });
}

/** Runs until `done` says so (checked after each apply), then aborts, as SIGKILL would mid-stride. */
async function runUntil(projection: Projection, done: (applied: number) => boolean) {
  const abort = new AbortController();
  let applied = 0;
  const counting: Projection = {
    name: projection.name,
    apply: async (batch: readonly StoredEvent[]) => {
      await projection.apply(batch);
      applied += batch.length;
      if (done(applied)) abort.abort();
    },
  };
  const runner = runnerFor(counting);
  await runner.run(abort.signal);
  return { applied, progress: runner.progress() };
}

/** Runs until the saved checkpoint reaches the store's high-water mark, then stops cleanly. */
async function runUntilCaughtUp(projection: Projection) {
  const abort = new AbortController();
  const runner = runnerFor(projection);
  const running = runner.run(abort.signal);
  const highWaterMark = await store.highWaterMark();
  const deadline = Date.now() + 30_000;
  while (runner.progress().checkpoint < highWaterMark && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  abort.abort();
  await running;
  return runner.progress();
}

const linesPerEvent = async () =>
  client
    .db()
    .collection(TIMELINES_COLLECTION)
    .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$bookingId', n: { $sum: 1 } } }])
    .toArray();

describe('booking timeline projection, killed mid-replay', () => {
  it('given a runner stopped after applying a page but before saving its checkpoint, when it starts again, then it resumes from the checkpoint and every event is one line', async () => {
    const total = BOOKINGS * 4;
    const projection = bookingTimelineProjection(timelines());

    // Killed right after applying its third page: pages 1-2 are checkpointed, page 3 is applied but not.
    const first = await runUntil(projection, (applied) => applied >= 3 * BATCH);
    const checkpointAtCrash = await createMongoCheckpointStore(client.db()).load(BOOKING_TIMELINE);
    expect(first.applied).toBe(3 * BATCH);
    expect(checkpointAtCrash).toBe(2 * BATCH);

    const second = await runUntilCaughtUp(projection);

    // It re-read only from the checkpoint (page 3 again, then the rest), never from position 0 ...
    expect(second.applied).toBe(total - checkpointAtCrash);
    expect(second.checkpoint).toBe(await store.highWaterMark());
    // ... and the re-applied page made no second line: four lines per booking, one per event.
    const lines = await linesPerEvent();
    expect(lines).toHaveLength(BOOKINGS);
    expect(lines.every((line) => line.n === 4)).toBe(true);
    const someBooking = events[7]![0]!.stream.id;
    expect((await timelines().ofBooking(someBooking)).map((line) => line.type)).toEqual(['SeatsHeld', 'PaymentRequested', 'PaymentCompleted', 'BookingConfirmed']);
  });
});

describe('the projection lease', () => {
  it('given 20 instances asking for one free lease at once, then exactly one gets it, and it is free again once released', async () => {
    const key = `race:${randomUUID()}`;
    const leases = Array.from({ length: 20 }, () => createRedisLease(redis, key, 5_000));

    const granted = await Promise.all(leases.map((lease) => lease.acquire()));

    expect(granted.filter(Boolean)).toHaveLength(1);
    const holder = leases[granted.indexOf(true)]!;
    const others = leases.filter((lease) => lease !== holder);
    expect(await others[0]!.renew()).toBe(false);
    await others[0]!.release(); // a non-holder's release must not free it
    expect(await others[1]!.acquire()).toBe(false);
    await holder.release();
    expect((await Promise.all(others.map((lease) => lease.acquire()))).filter(Boolean)).toHaveLength(1);
  });

  it('given two runners of one projection on one store, then only one applies at a time and every event is still one line', async () => {
    await client.db().collection(TIMELINES_COLLECTION).deleteMany({});
    await client.db().collection('checkpoints').deleteMany({});
    const key = `runners:${randomUUID()}`;
    const abort = new AbortController();
    let applying = 0;
    let overlapped = false;
    const projection = bookingTimelineProjection(timelines());
    const watched: Projection = {
      name: projection.name,
      apply: async (batch) => {
        if (++applying > 1) overlapped = true;
        try {
          await projection.apply(batch);
        } finally {
          applying--;
        }
      },
    };
    const runners = [runnerFor(watched, createRedisLease(redis, key, 5_000)), runnerFor(watched, createRedisLease(redis, key, 5_000))];
    const running = runners.map((runner) => runner.run(abort.signal));
    const highWaterMark = await store.highWaterMark();
    const deadline = Date.now() + 30_000;
    while (!runners.some((runner) => runner.progress().checkpoint === highWaterMark) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    abort.abort();
    await Promise.all(running);

    expect(runners.map((runner) => runner.progress().applied).sort((a, b) => a - b)).toEqual([0, BOOKINGS * 4]);
    expect(overlapped).toBe(false);
    expect((await linesPerEvent()).every((line) => line.n === 4)).toBe(true);
  });
});
