import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { accessTokenSettings, createLogger, prometheus, type Metrics } from '@ticketing/platform';
import { closeDatabases, createScratchPool, openSchedule } from '@ticketing/test-support';
import { SERVICES, metricsUrl } from '../../../infra/services';
import { createAdmissionWorker } from '../src/application/admission-worker';
import { createConcertPriceFreezer } from '../src/adapters/http/concert-price.freezer';
import { createQueueMetrics } from '../src/adapters/metrics/queue.metrics';
import { createPgAdmissionPolicyStore } from '../src/adapters/persistence/pg-admission-policy.store';
import { createPgTicketRecord } from '../src/adapters/persistence/pg-ticket.record';
import { createPgEventOutbox } from '../src/adapters/persistence/pg-queue.outbox';
import { createRedisProgressPublisher } from '../src/adapters/redis/redis-progress.publisher';
import { createRedisWaitingRoom } from '../src/adapters/redis/redis-waiting-room';
import { loadQueueConfig } from '../src/config';
import { closeRedisClients, env, eventually, redisWithPrefix } from './queue-test-kit';

/*
 * The waiting room's metrics against real Redis: the depth per schedule is what the rooms hold at
 * scrape time, and the admissions counter moves by exactly the fans an admission step let in.
 * The rooms live under a key prefix of this file's own, so the test system's queue workers never
 * tick them and every count is this file's.
 */

type Registry = Metrics['registry'];
const logger = createLogger('queue-metrics-spec', 'silent');
const prefix = `spec-queue-metrics-${randomUUID().slice(0, 8)}:`;

async function samples(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)!.get()).values;
}
async function depth(registry: Registry): Promise<Record<string, Record<string, number>>> {
  const bySchedule: Record<string, Record<string, number>> = {};
  for (const { labels, value } of await samples(registry, 'queue_waiting_room_tickets')) {
    (bySchedule[String(labels['schedule'])] ??= {})[String(labels['state'])] = value;
  }
  return bySchedule;
}
const counter = async (registry: Registry, name: string) => (await samples(registry, name))[0]?.value ?? 0;

const redis = () => redisWithPrefix(prefix);
const newRegistry = () => new prometheus.Registry<Registry['contentType']>();
const enterFans = (room: ReturnType<typeof createRedisWaitingRoom>, scheduleId: string, count: number, opensAt: Date) =>
  Promise.all(Array.from({ length: count }, () => room.enter({ scheduleId, userId: randomUUID(), newTicketId: randomUUID(), opensAt })));

let db: { pool: Pool; drop: () => Promise<void> };
beforeAll(async () => {
  db = await createScratchPool('queue', 3);
});
afterAll(async () => {
  const client = redis();
  const keys = await client.keys(`${prefix}*`);
  // KEYS answers with the prefix; the client adds it again on DEL.
  if (keys.length > 0) await client.del(...keys.map((key) => key.slice(prefix.length)));
  closeRedisClients();
  await db?.drop();
  await closeDatabases();
});

describe('waiting-room depth, read on scrape', () => {
  it('given 3 fans before a schedule opens and 5 in line at an open one, then each schedule shows its pre_queue, waiting and active counts', async () => {
    const room = createRedisWaitingRoom(redis(), { defaultAdmitsPerSecond: 50 });
    const registry = newRegistry();
    createQueueMetrics({ registry }, { room, logger, refreshMs: 0 });
    const early = randomUUID();
    const open = randomUUID();

    await enterFans(room, early, 3, new Date(Date.now() + 3_600_000));
    await enterFans(room, open, 5, new Date(Date.now() - 60_000));

    const page = await depth(registry);
    expect(page[early]).toEqual({ pre_queue: 3, waiting: 0, active: 0 });
    expect(page[open]).toEqual({ pre_queue: 0, waiting: 5, active: 0 });
  });

  it('given more live schedules than a scrape reads, then only the ones entered last are on the page, and a forgotten schedule leaves it', async () => {
    const room = createRedisWaitingRoom(redis(), { defaultAdmitsPerSecond: 50 });
    const registry = newRegistry();
    createQueueMetrics({ registry }, { room, logger, refreshMs: 0, maxSchedules: 2 });
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    for (const scheduleId of [first, second, third]) await enterFans(room, scheduleId, 1, new Date(Date.now() - 60_000));

    expect(Object.keys(await depth(registry)).sort()).toEqual([second, third].sort());

    // Nobody entered after this cutoff: the admission worker would drop the room from the live set.
    await room.forgetIfIdleSince(third, new Date(Date.now() + 60_000));
    expect(Object.keys(await depth(registry))).not.toContain(third);
  });
});

describe('admissions, counted where the admission step admits', () => {
  it('given 5 fans in line and room for 3, when the worker ticks, then queue_admitted_total is exactly 3 and the depth shows 3 active and 2 waiting', async () => {
    const config = loadQueueConfig({ ...process.env, ...env() });
    const redisClient = redis();
    const room = createRedisWaitingRoom(redisClient, { defaultAdmitsPerSecond: 1_000 });
    const registry = newRegistry();
    const metrics = createQueueMetrics({ registry }, { room, logger, refreshMs: 0 });
    // A real schedule of the catalog: the worker asks concert to freeze its prices before the first admission.
    const scheduleId = await openSchedule();
    await enterFans(room, scheduleId, 5, new Date(Date.now() - 60_000));

    const worker = createAdmissionWorker({
      room,
      policies: createPgAdmissionPolicyStore(db.pool, () => undefined),
      publisher: createRedisProgressPublisher(redisClient, prefix),
      prices: createConcertPriceFreezer({ concertUrl: config.CONCERT_URL, accessTokens: accessTokenSettings(config) }),
      outbox: createPgEventOutbox(db.pool, () => undefined),
      record: createPgTicketRecord(db.pool),
      newId: randomUUID,
      settings: { defaults: { admitsPerSecond: 1_000, maxActive: 3, paused: false }, activeTtlSeconds: 3_600 },
      randomInt: (maxExclusive) => Math.floor(Math.random() * maxExclusive),
      logger,
      tickMs: 20,
      observe: metrics.tickObserved,
    });
    worker.start();
    try {
      await eventually(async () => (await room.counts(scheduleId)).active === 3, 20_000, '3 fans admitted');
    } finally {
      await worker.stop();
    }

    expect(await counter(registry, 'queue_admitted_total')).toBe(3);
    expect(await counter(registry, 'queue_expired_total')).toBe(0);
    expect((await depth(registry))[scheduleId]).toEqual({ pre_queue: 0, waiting: 2, active: 3 });
  });
});

it('the queue process exposes the waiting-room metrics on /metrics', async () => {
  const queue = SERVICES.find((service) => service.name === 'queue')!;
  const text = await (await fetch(metricsUrl(queue, env()))).text();
  for (const name of ['queue_waiting_room_tickets', 'queue_admitted_total', 'queue_expired_total', 'queue_retired_total', 'outbox_backlog_events']) {
    expect(text).toContain(`# TYPE ${name} `);
  }
});
