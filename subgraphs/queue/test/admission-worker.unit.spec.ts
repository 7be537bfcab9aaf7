import { parseEvent, type EventEnvelope, type QueueProgress } from '@ticketing/contracts';
import { createAdmissionWorker } from '../src/application/admission-worker';
import type { AdmissionTick, DrawResult, PriceFreezer, WaitingRoom } from '../src/application/ports';
import type { AdmissionPolicy } from '../src/domain/admission-policy';

const scheduleId = '5c4ed000-0000-4000-8000-000000000011';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (real time, generously) until `done()`; the worker runs on its own timers. */
async function until(done: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(5);
}
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A waiting room whose admission steps the test scripts; it records what the worker asked. */
function scriptedRoom(state: { opened: boolean; opensAt: Date; preQueue: string[]; waiting: number; admitting?: string[][]; pricesFrozen?: boolean }) {
  const log: string[] = [];
  const drawn: string[][] = [];
  let clock = Date.parse('2030-05-01T10:00:00.000Z');
  const room: Partial<WaitingRoom> = {
    async liveSchedules() {
      return [scheduleId];
    },
    async applyPolicy(policy: AdmissionPolicy) {
      log.push(`policy paused=${policy.paused}`);
    },
    async admit(): Promise<AdmissionTick> {
      log.push('admit');
      clock += 100;
      // Like the ADMIT script: with fans to admit and prices not frozen, nobody is admitted.
      const awaitingPriceFreeze = (state.admitting?.[0]?.length ?? 0) > 0 && state.pricesFrozen === false;
      const admitting = awaitingPriceFreeze ? [] : (state.admitting?.shift() ?? []);
      return {
        scheduleId,
        now: new Date(clock),
        nowServing: 0,
        admitsPerSecond: 5,
        paused: false,
        opened: state.opened,
        opensAt: state.opensAt,
        waiting: state.waiting,
        preQueue: state.preQueue.length,
        active: 0,
        admitted: admitting.map((ticketId, i) => ({ ticketId, queueNumber: i + 1, expiresAt: new Date(clock + 600_000) })),
        expired: [],
        awaitingPriceFreeze,
      };
    },
    async markPricesFrozen() {
      log.push('mark prices frozen');
      state.pricesFrozen = true;
    },
    async preQueue() {
      return [...state.preQueue];
    },
    async draw(_scheduleId, ids): Promise<DrawResult> {
      drawn.push([...ids]);
      state.preQueue = state.preQueue.filter((id) => !ids.includes(id));
      state.waiting += ids.length;
      state.opened = state.preQueue.length === 0;
      return { kind: 'Drawn', numbered: ids.map((ticketId, i) => ({ ticketId, queueNumber: i + 1 })), opened: state.opened };
    },
    async forgetIfIdleSince() {
      log.push('forget');
    },
  };
  return { room: room as WaitingRoom, log, drawn };
}

interface Outbox {
  writes: EventEnvelope[][];
  /** The next this many appends throw, as PostgreSQL being down would. */
  failing: number;
}

/** The catalog's freeze as the worker sees it: answers Frozen unless told to fail; logs each call. */
function catalogFreezer(log: string[], answers: Array<'Frozen' | 'UnknownSchedule' | 'fail'> = []): PriceFreezer {
  return {
    async freeze() {
      const answer = answers.shift() ?? 'Frozen';
      log.push(`freeze ${answer}`);
      if (answer === 'fail') throw new Error('concert unavailable');
      return answer;
    },
  };
}

function workerFor(room: WaitingRoom, published: QueueProgress[], options: { paused?: boolean; outbox?: Outbox; prices?: PriceFreezer } = {}) {
  const outbox = options.outbox ?? { writes: [], failing: 0 };
  let ids = 0;
  return createAdmissionWorker({
    room,
    policies: {
      async find() {
        return { scheduleId, admitsPerSecond: 5, maxActive: 10, paused: options.paused ?? false, updatedAt: new Date() };
      },
    },
    publisher: {
      async publish(progress) {
        published.push(progress);
      },
    },
    prices: options.prices ?? catalogFreezer([]),
    record: { numbered: async () => undefined },
    outbox: {
      async append(envelopes) {
        if (outbox.failing > 0) {
          outbox.failing--;
          throw new Error('outbox unavailable');
        }
        outbox.writes.push([...envelopes]);
      },
    },
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    settings: { defaults: { admitsPerSecond: 50, maxActive: 1000, paused: false }, activeTtlSeconds: 600 },
    // Always 0: Fisher–Yates then rotates the first arrival to the end, so the order drawn is
    // visibly the random source's, not the arrival order.
    randomInt: () => 0,
    logger: silent,
    tickMs: 5,
    drawBatchSize: 2,
  });
}

describe('admission worker: prices are frozen before the first admission', () => {
  const opensAt = new Date('2030-05-01T09:00:00.000Z');

  it('given a schedule whose prices are not frozen, when a step would admit, then the catalog freezes them, the room is marked and the fans are admitted in that tick', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt, preQueue: [], waiting: 2, admitting: [['t1', 't2']], pricesFrozen: false });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published, { prices: catalogFreezer(log) });
    worker.start();
    await until(() => published.some((message) => message.admitted.length > 0));
    await worker.stop();
    expect(log.slice(0, 5)).toEqual(['policy paused=false', 'admit', 'freeze Frozen', 'mark prices frozen', 'admit']);
    expect(published.flatMap((message) => message.admitted.map((fan) => fan.ticketId))).toEqual(['t1', 't2']);
  });

  it('given the catalog cannot be reached, then nobody is admitted and the room is not marked until a later tick freezes the prices', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt, preQueue: [], waiting: 1, admitting: [['t1']], pricesFrozen: false });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published, { prices: catalogFreezer(log, ['fail', 'fail']) });
    worker.start();
    await until(() => published.some((message) => message.admitted.length > 0));
    await worker.stop();
    const firstMark = log.indexOf('mark prices frozen');
    expect(log.filter((entry) => entry.startsWith('freeze'))).toEqual(['freeze fail', 'freeze fail', 'freeze Frozen']);
    expect(firstMark).toBeGreaterThan(log.lastIndexOf('freeze fail'));
    expect(published.flatMap((message) => message.admitted.map((fan) => fan.ticketId))).toEqual(['t1']);
  });

  it('given the catalog does not know the schedule, then nobody is admitted', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt, preQueue: [], waiting: 1, admitting: [['t1']], pricesFrozen: false });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published, { prices: catalogFreezer(log, ['UnknownSchedule', 'UnknownSchedule', 'UnknownSchedule']) });
    worker.start();
    await until(() => log.filter((entry) => entry === 'freeze UnknownSchedule').length >= 3);
    await worker.stop();
    expect(log).not.toContain('mark prices frozen');
    expect(published.flatMap((message) => message.admitted)).toEqual([]);
  });

  it('given prices already frozen, then the catalog is not asked', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt, preQueue: [], waiting: 1, admitting: [['t1']], pricesFrozen: true });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published, { prices: catalogFreezer(log) });
    worker.start();
    await until(() => published.some((message) => message.admitted.length > 0));
    await worker.stop();
    expect(log.filter((entry) => entry.startsWith('freeze'))).toEqual([]);
  });
});

describe('admission worker', () => {
  it('given a schedule whose opening time has come, then it draws the whole pre-queue in the random order, in batches, once', async () => {
    const { room, drawn } = scriptedRoom({ opened: false, opensAt: new Date('2030-05-01T09:00:00.000Z'), preQueue: ['a', 'b', 'c', 'd', 'e'], waiting: 0 });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published);
    worker.start();
    await until(() => published.some((message) => !message.preQueue));
    await worker.stop();
    expect(drawn).toEqual([['b', 'c'], ['d', 'e'], ['a']]);
    expect(published[0]).toMatchObject({ scheduleId, preQueue: true });
    expect(published.at(-1)).toMatchObject({ preQueue: false });
  });

  it('given the opening time has not come, then it draws nothing', async () => {
    const { room, drawn, log } = scriptedRoom({ opened: false, opensAt: new Date('2030-05-01T11:00:00.000Z'), preQueue: ['a'], waiting: 0 });
    const worker = workerFor(room, []);
    worker.start();
    await until(() => log.filter((entry) => entry === 'admit').length >= 5);
    await worker.stop();
    expect(drawn).toEqual([]);
  });

  it('copies the stored policy into the waiting room before its first admission step', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt: new Date(0), preQueue: [], waiting: 3 });
    const worker = workerFor(room, [], { paused: true });
    worker.start();
    await until(() => log.includes('admit'));
    await worker.stop();
    expect(log.slice(0, 2)).toEqual(['policy paused=true', 'admit']);
  });

  it('while fans wait, publishes at least once a (waiting-room) second even when nothing moves', async () => {
    const { room } = scriptedRoom({ opened: true, opensAt: new Date(0), preQueue: [], waiting: 3 });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published);
    worker.start();
    // Each scripted step advances the waiting room's clock by 100 ms.
    await until(() => published.length >= 3);
    await worker.stop();
    const steps = published.map((message) => Date.parse(message.at));
    expect(steps.length).toBeGreaterThan(1);
    for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBe(1_000);
  });

  it('given nobody waiting or admitted, then it publishes nothing new and lets the schedule go', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt: new Date(0), preQueue: [], waiting: 0 });
    const published: QueueProgress[] = [];
    const worker = workerFor(room, published);
    worker.start();
    await until(() => log.filter((entry) => entry === 'admit').length >= 5);
    await worker.stop();
    expect(published).toHaveLength(1);
    expect(log).toContain('forget');
  });

  it('given steps that admit fans, then each admitted ticket is one FanAdmitted at version 0 of its own stream, one write per tick', async () => {
    const tickets = ['9a000000-0000-4000-8000-000000000001', '9a000000-0000-4000-8000-000000000002', '9a000000-0000-4000-8000-000000000003'];
    const { room } = scriptedRoom({ opened: true, opensAt: new Date(0), preQueue: [], waiting: 3, admitting: [[tickets[0]!, tickets[1]!], [tickets[2]!]] });
    const outbox: Outbox = { writes: [], failing: 0 };
    const worker = workerFor(room, [], { outbox });
    worker.start();
    await until(() => outbox.writes.flat().length >= 3);
    await worker.stop();

    expect(outbox.writes.map((write) => write.length)).toEqual([2, 1]);
    const events = outbox.writes.flat().map((envelope) => parseEvent(envelope));
    expect(events.map((event) => event.ok && [event.value.type, event.value.stream, event.value.streamVersion])).toEqual(
      tickets.map((ticketId) => ['FanAdmitted', { type: 'queue-ticket', id: ticketId }, 0]),
    );
    expect(events[0]!.ok && events[0]!.value.payload).toMatchObject({ scheduleId, ticketId: tickets[0], queueNumber: 1 });
  });

  it('given the outbox cannot be written, then the tick\'s events are written with the next tick\'s, none lost and none twice', async () => {
    const tickets = ['9b000000-0000-4000-8000-000000000001', '9b000000-0000-4000-8000-000000000002'];
    const { room } = scriptedRoom({ opened: true, opensAt: new Date(0), preQueue: [], waiting: 2, admitting: [[tickets[0]!], [tickets[1]!]] });
    const outbox: Outbox = { writes: [], failing: 1 };
    const worker = workerFor(room, [], { outbox });
    worker.start();
    await until(() => outbox.writes.flat().length >= 2);
    await worker.stop();

    expect(outbox.writes).toHaveLength(1);
    expect(outbox.writes[0]!.map((envelope) => envelope.stream.id)).toEqual(tickets);
  });

  it('stops cleanly: no step starts after stop() resolved', async () => {
    const { room, log } = scriptedRoom({ opened: true, opensAt: new Date(0), preQueue: [], waiting: 1 });
    const worker = workerFor(room, []);
    worker.start();
    await until(() => log.includes('admit'));
    await worker.stop();
    const steps = log.length;
    await sleep(30);
    expect(log.length).toBe(steps);
  });
});

describe('admission worker: an idle system is asked rarely, an arrival at once', () => {
  /** A room with no live schedule; counts how often the worker looks. */
  function idleRoom() {
    const looks = { count: 0 };
    const room: Partial<WaitingRoom> = {
      async liveSchedules() {
        looks.count++;
        return [];
      },
    };
    return { room: room as WaitingRoom, looks };
  }
  const idleWorker = (room: WaitingRoom) =>
    createAdmissionWorker({
      room,
      policies: { find: async () => null },
      publisher: { publish: async () => undefined },
      prices: catalogFreezer([]),
      record: { numbered: async () => undefined },
      outbox: { append: async () => undefined },
      newId: () => 'id',
      settings: { defaults: { admitsPerSecond: 50, maxActive: 1000, paused: false }, activeTtlSeconds: 600 },
      randomInt: () => 0,
      logger: silent,
      tickMs: 100,
      idleTickMs: 1_000,
    });

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('given no live schedule, when 3 s pass, then it looked 4 times (once a second), not 31 (every tick)', async () => {
    const { room, looks } = idleRoom();
    const worker = idleWorker(room);
    worker.start();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(looks.count).toBe(4);
    await worker.stop();
  });

  it('given an idle sleep, when a fan enters (nudge), then it looks at once; a nudge while busy adds nothing', async () => {
    const { room, looks } = idleRoom();
    const worker = idleWorker(room);
    worker.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(looks.count).toBe(1);

    worker.nudge();
    worker.nudge();
    await jest.advanceTimersByTimeAsync(0);

    expect(looks.count).toBe(2);
    await worker.stop();
  });
});
