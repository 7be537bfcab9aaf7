import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@ticketing/contracts';
import { createEventStore, dropEventStoreDatabase, MongoClient, type EventStore, type StoredEvent } from '@ticketing/event-store';
import { createRedis, type Redis } from '@ticketing/platform';
import type { Projection, SalesNotifier } from '../src/application/ports';
import { createProjectionRunner } from '../src/application/projection-runner';
import { salesDashboardProjection, SALES_DASHBOARD } from '../src/application/sales-dashboard.projection';
import { createMongoCheckpointStore } from '../src/adapters/mongo/mongo-checkpoint.store';
import { createMongoSalesStore } from '../src/adapters/mongo/mongo-sales.store';
import { createRedisLease } from '../src/adapters/redis/redis-lease';
import { createProjections } from '../src/projections';
import { loadToolsEnv, runReplay } from '../../../scripts/history';
import { onSaleEvents, quietLogger, REDIS_URL, specStoreUrl, type OnSaleScenario } from './support';

/*
 * The sales-dashboard projection against real FerretDB and Redis, on a store database of this
 * spec's own: two schedules' on-sales interleaved in the store, projected by the runner.
 */
const BATCH = 25;

let url: string;
let store: EventStore;
let client: MongoClient;
let redis: Redis;
const scenarios: OnSaleScenario[] = [];
const announced: Array<{ scheduleId: string; asOfPosition: number }> = [];
const recordingNotifier: SalesNotifier = { changed: async (changes) => void announced.push(...changes) };

/** Each scenario's events in its own order, the scenarios taking turns: pages span both schedules. */
function interleave(lists: readonly EventEnvelope[][]): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  for (let i = 0; i < Math.max(...lists.map((list) => list.length)); i++) for (const list of lists) if (list[i]) out.push(list[i]!);
  return out;
}

beforeAll(async () => {
  url = specStoreUrl('sales');
  store = createEventStore({ url });
  await store.ensureIndexes();
  client = new MongoClient(url);
  redis = createRedis(REDIS_URL, `history-spec:${randomUUID()}:`);
  scenarios.push(onSaleEvents(30), onSaleEvents(21));
  await store.append(interleave(scenarios.map((scenario) => scenario.events)));
});

afterAll(async () => {
  await redis.quit();
  await client.close();
  await store.close();
  await dropEventStoreDatabase(url);
});

const sales = () => createMongoSalesStore(client.db());

beforeEach(async () => {
  const { projections } = createProjections(client.db(), recordingNotifier);
  await projections[SALES_DASHBOARD]!.reset();
  await projections[SALES_DASHBOARD]!.prepare();
  await client.db().collection('checkpoints').deleteMany({});
  announced.length = 0;
});

function runnerFor(projection: Projection, batchSize: number, leaseKey = `lease:${randomUUID()}`) {
  return createProjectionRunner({
    projection,
    source: store,
    checkpoints: createMongoCheckpointStore(client.db()),
    lease: createRedisLease(redis, leaseKey, 5_000),
    logger: quietLogger(),
    batchSize,
    pollMs: 20,
    maxGapWaitMs: 200,
    renewEveryMs: 1_000,
  });
}

async function runUntilCaughtUp(runners: ReturnType<typeof runnerFor>[]) {
  const abort = new AbortController();
  const running = runners.map((runner) => runner.run(abort.signal));
  const highWaterMark = await store.highWaterMark();
  const deadline = Date.now() + 60_000;
  while (!runners.some((runner) => runner.progress().checkpoint >= highWaterMark) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  abort.abort();
  await Promise.all(running);
}

async function expectDashboardsMatchScenarios() {
  for (const scenario of scenarios) {
    const dashboard = await sales().dashboard(scenario.scheduleId);
    expect(dashboard).toMatchObject({ ...scenario.expected, bookingsCancelled: 0, refunded: 0 });
    expect(
      Object.fromEntries(dashboard!.bySection.map(({ section, seatsTotal, seatsHeld, seatsSold, seatsBlocked, revenue }) => [section, { seatsTotal, seatsHeld, seatsSold, seatsBlocked, revenue }])),
    ).toEqual(
      scenario.expectedBySection,
    );
  }
}

describe('sales dashboards projected from the store', () => {
  it('given two on-sales interleaved in the store, when projected a page at a time, then each dashboard counts exactly its own schedule and every move was announced in order', async () => {
    await runUntilCaughtUp([runnerFor(salesDashboardProjection(sales(), recordingNotifier), BATCH)]);

    await expectDashboardsMatchScenarios();
    const highWaterMark = await store.highWaterMark();
    for (const scenario of scenarios) {
      const positions = announced.filter((change) => change.scheduleId === scenario.scheduleId).map((change) => change.asOfPosition);
      expect(positions.length).toBeGreaterThan(1);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect((await sales().dashboard(scenario.scheduleId))!.asOfPosition).toBe(positions.at(-1));
    }
    expect(Math.max(...announced.map((change) => change.asOfPosition))).toBe(highWaterMark);
  });

  it('given a runner killed after applying its third page but before saving it, when it resumes with other page boundaries, then nothing is counted twice', async () => {
    const projection = salesDashboardProjection(sales(), recordingNotifier);
    const abort = new AbortController();
    let pages = 0;
    const dying: Projection = {
      name: projection.name,
      apply: async (batch: readonly StoredEvent[]) => {
        await projection.apply(batch);
        if (++pages === 3) abort.abort();
      },
    };
    await runnerFor(dying, BATCH).run(abort.signal);
    expect(await createMongoCheckpointStore(client.db()).load(SALES_DASHBOARD)).toBe(2 * BATCH);

    // A new process (nothing in memory), pages of 40 from the checkpoint: the re-read straddles what page 3 already applied.
    await runUntilCaughtUp([runnerFor(salesDashboardProjection(sales(), recordingNotifier), 40)]);

    await expectDashboardsMatchScenarios();
  });

  it('given two runners of the projection racing for one lease, then one applies and the dashboards are counted once', async () => {
    const key = `race:${randomUUID()}`;
    const runners = [0, 1].map(() => runnerFor(salesDashboardProjection(sales(), recordingNotifier), BATCH, key));

    await runUntilCaughtUp(runners);

    expect(runners.map((runner) => runner.progress().applied).filter((applied) => applied > 0)).toHaveLength(1);
    await expectDashboardsMatchScenarios();
  });

  it('given a dashboard another writer moved, when a stale writer applies its deltas, then it is told Moved and nothing changes', async () => {
    await runUntilCaughtUp([runnerFor(salesDashboardProjection(sales(), recordingNotifier), BATCH)]);
    const scenario = scenarios[0]!;
    const before = await sales().dashboard(scenario.scheduleId);

    const outcome = await sales().applyDelta({ scheduleId: scenario.scheduleId, totals: { seatsSold: 2, revenue: 300_000 }, sections: { VIP: { seatsSold: 1 } } }, 1, {
      position: before!.asOfPosition + 1,
      updatedAt: new Date().toISOString(),
    });

    expect(outcome).toBe('Moved');
    expect(await sales().dashboard(scenario.scheduleId)).toEqual(before);
  });

  it('given the live dashboards, when the projection is replayed from position 0 by history:replay, then the rebuilt dashboards equal the live ones', async () => {
    await runUntilCaughtUp([runnerFor(salesDashboardProjection(sales(), recordingNotifier), BATCH)]);
    const live = await Promise.all(scenarios.map((scenario) => sales().dashboard(scenario.scheduleId)));

    const outcomes = await runReplay({
      env: loadToolsEnv({ EVENT_STORE_URL: url, REDIS_URL, REDIS_KEY_PREFIX: `history-spec:${randomUUID()}:`, PROJECTION_BATCH_SIZE: '7', PROJECTION_MAX_GAP_WAIT_MS: '0' }),
      projection: SALES_DASHBOARD,
    });

    expect(outcomes).toEqual([expect.objectContaining({ kind: 'Replayed', applied: scenarios.reduce((n, scenario) => n + scenario.events.length, 0) })]);
    expect(await Promise.all(scenarios.map((scenario) => sales().dashboard(scenario.scheduleId)))).toEqual(live);
  });
});
