import type { EventEnvelope, QueueProgress } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { shuffle, type RandomInt } from '../domain/fair-start';
import { fansAdmitted } from '../domain/queue-events';
import type { AdmissionPolicyStore, AdmissionSettings, AdmissionTick, EventOutbox, NumberedTicket, PriceFreezer, ProgressPublisher, TicketRecord, WaitingRoom } from './ports';
import { stampTicketEvents } from './stamp-ticket-events';

/**
 * FanAdmitted envelopes kept for the next tick while the outbox cannot be written (PostgreSQL
 * down): about 300 bytes each, so an outage of minutes at a high admission rate fits.
 */
const MAX_UNWRITTEN_EVENTS = 100_000;

export interface AdmissionWorkerOptions {
  room: WaitingRoom;
  policies: Pick<AdmissionPolicyStore, 'find'>;
  publisher: ProgressPublisher;
  /** Asked before a schedule's first admission; until it answers Frozen, nobody is admitted. */
  prices: PriceFreezer;
  /** Where each tick's `FanAdmitted` events go: one INSERT per tick, all schedules together. */
  outbox: EventOutbox;
  /** The durable record of tickets: learns the numbers the opening draw gives. */
  record: Pick<TicketRecord, 'numbered'>;
  /**
   * True while the waiting room is being restored after Redis lost data: no step runs then, so no
   * draw reshuffles fans whose numbers are still being put back, and nobody is admitted twice.
   */
  held?: () => boolean;
  newId: () => string;
  settings: AdmissionSettings;
  randomInt: RandomInt;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  tickMs: number;
  /**
   * How long the loop sleeps while no schedule is live (nobody in any line), instead of `tickMs`:
   * an idle system then asks Redis once a second, not ten times. `nudge()` (a fan entering a line
   * in this process) ends the sleep at once, so the first fan waits no longer; another process's
   * worker, nudged by its own arrivals, serves the line meanwhile.
   */
  idleTickMs?: number;
  /** Waiting fans hear from their schedule at least this often, so ETAs keep moving. */
  heartbeatMs?: number;
  /** How often the stored policy is copied into the waiting room again, repairing a lost update. */
  policySyncMs?: number;
  /** A schedule with nobody waiting or active and no arrival for this long leaves the live set. */
  forgetAfterMs?: number;
  /** Pre-queue tickets numbered per atomic step at opening: bounds how long one step blocks Redis. */
  drawBatchSize?: number;
  /** Sees every admission step (metrics). */
  observe?: (tick: AdmissionTick) => void;
}

interface ScheduleMemory {
  lastPublishedAt: number;
  lastState: string;
  policySyncedAt: number;
}

/**
 * The admission loop that runs in every queue process. Every `tickMs` it takes each live
 * schedule one atomic step (expire, refill the token bucket, admit), draws the opening order
 * when a schedule opens, and publishes the schedule's progress.
 *
 * Several processes run this at once, on purpose and without a lease: each step is one Lua
 * script, and Redis runs scripts one at a time against one clock (its TIME). Two workers'
 * steps therefore serialise, and the second one sees the tokens, ACTIVE count and line the
 * first left behind: the policy holds across processes exactly as within one, a ticket leaves
 * the line once (ZPOPMIN), and the opening draw moves each pre-queue ticket once. A second
 * worker only adds ticks, which the token bucket absorbs; losing one loses nothing.
 *
 * Every admitted ticket becomes a `FanAdmitted` event, written to the outbox once the tick's
 * steps are done (one INSERT for all schedules, off every fan's request path). Its stream is the
 * ticket's own at the fixed version 0, so workers never coordinate on stream versions. Delivery
 * is at most once: the admission commits in Redis (the Lua step) before the INSERT, so a process
 * that dies in between (a crash, not SIGTERM: `stop` finishes the tick) loses those tickets'
 * events while the fans stay admitted. A failed INSERT is not a loss: its events are kept in
 * memory (bounded) and written with the next tick's.
 *
 * Prices are frozen before anyone is admitted. The ADMIT step admits nobody until the schedule's
 * `pricesFrozen` mark exists; the worker sets the mark only after the catalog committed the
 * freeze under the schedule's row lock (the lock every price change takes) and invalidated its
 * seat map. So every price change either committed before the first admission, and holds read
 * its price, or is refused PRICE_FROZEN: no admitted fan pays a price set after they were let in.
 */
export function createAdmissionWorker(options: AdmissionWorkerOptions) {
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const policySyncMs = options.policySyncMs ?? 5_000;
  const forgetAfterMs = options.forgetAfterMs ?? 10 * 60_000;
  const drawBatchSize = options.drawBatchSize ?? 2_000;
  const idleTickMs = Math.max(options.tickMs, options.idleTickMs ?? 1_000);
  const { room, logger } = options;
  const memory = new Map<string, ScheduleMemory>();
  const draws = new Map<string, Promise<void>>();
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  /** A tick is running (or about to): a nudge then has nothing to wake. */
  let ticking = false;
  /** Live schedules at the last tick: none means the next sleep is the idle one. */
  let liveAtLastTick = 0;
  let unwritten: EventEnvelope[] = [];
  /** Draw numbers the record has not learnt yet (PostgreSQL down): written with a later tick. */
  let unrecorded: Array<{ scheduleId: string; tickets: NumberedTicket[] }> = [];

  const recordNumbers = async () => {
    const pending = unrecorded;
    unrecorded = [];
    for (const [i, { scheduleId, tickets }] of pending.entries()) {
      try {
        await options.record.numbered(scheduleId, tickets);
      } catch (error) {
        unrecorded = [...pending.slice(i), ...unrecorded];
        logger.error({ err: error, scheduleId, unrecorded: tickets.length }, 'drawn numbers not recorded; the next tick retries');
        return;
      }
    }
  };

  /** The tick's events plus any an earlier failed write left behind, in one INSERT. */
  const writeEvents = async (envelopes: readonly EventEnvelope[]) => {
    const batch = unwritten.length === 0 ? envelopes : [...unwritten, ...envelopes];
    if (batch.length === 0) return;
    try {
      await options.outbox.append(batch);
      unwritten = [];
    } catch (error) {
      unwritten = batch.slice(-MAX_UNWRITTEN_EVENTS);
      const dropped = batch.length - unwritten.length;
      logger.error({ err: error, unwritten: unwritten.length, dropped }, 'FanAdmitted events not written; the next tick retries');
    }
  };

  const syncPolicy = async (scheduleId: string, remembered: ScheduleMemory, now: number) => {
    if (now - remembered.policySyncedAt < policySyncMs) return;
    const stored = await options.policies.find(scheduleId);
    if (stored) await room.applyPolicy(stored);
    remembered.policySyncedAt = now;
  };

  /** Numbers the pre-queue in a fresh random order; rounds pick up fans who arrived meanwhile. */
  const drawOpeningOrder = async (scheduleId: string) => {
    for (let round = 0; round < 20 && !stopped; round++) {
      const order = shuffle(await room.preQueue(scheduleId), options.randomInt);
      let result = order.length === 0 ? await room.draw(scheduleId, []) : undefined;
      for (let start = 0; start < order.length && !stopped; start += drawBatchSize) {
        result = await room.draw(scheduleId, order.slice(start, start + drawBatchSize));
        if (result.kind === 'NotDue') return;
        // Fans hear their numbers from the waiting room; the record keeps them past a Redis crash.
        if (result.numbered.length > 0) unrecorded.push({ scheduleId, tickets: result.numbered });
        await recordNumbers();
      }
      if (result?.kind === 'Drawn' && result.opened) {
        logger.info({ scheduleId, drawn: order.length, round }, 'waiting room opened: pre-queue drawn in random order');
        return;
      }
    }
  };

  const startDraw = (scheduleId: string) => {
    if (draws.has(scheduleId)) return;
    const draw = drawOpeningOrder(scheduleId)
      .catch((error: unknown) => logger.error({ err: error, scheduleId }, 'opening draw failed; the next tick retries'))
      .finally(() => draws.delete(scheduleId));
    draws.set(scheduleId, draw);
  };

  /** True once the catalog froze the schedule's prices and the waiting room knows it; a failure waits for the next tick. */
  const freezePrices = async (scheduleId: string): Promise<boolean> => {
    try {
      const answer = await options.prices.freeze(scheduleId);
      if (answer === 'UnknownSchedule') {
        logger.warn({ scheduleId }, 'catalog does not know the schedule: nobody is admitted');
        return false;
      }
      await room.markPricesFrozen(scheduleId);
      logger.info({ scheduleId }, 'prices frozen: admitting the first fans');
      return true;
    } catch (error) {
      logger.warn({ err: error, scheduleId }, 'price freeze failed; nobody is admitted until a later tick freezes them');
      return false;
    }
  };

  const publishIfDue = async (tick: AdmissionTick, remembered: ScheduleMemory) => {
    const progress = toProgress(tick);
    const state = JSON.stringify([progress.nowServing, progress.admitsPerSecond.toFixed(2), progress.paused, progress.preQueue]);
    const moved = progress.admitted.length > 0 || progress.expired.length > 0 || state !== remembered.lastState;
    const someoneWaits = tick.waiting + tick.preQueue > 0;
    const now = tick.now.getTime();
    if (!moved && !(someoneWaits && now - remembered.lastPublishedAt >= heartbeatMs)) return;
    await options.publisher.publish(progress);
    remembered.lastPublishedAt = now;
    remembered.lastState = state;
  };

  /** One schedule's step; returns the events of the fans it admitted. */
  const tickSchedule = async (scheduleId: string): Promise<EventEnvelope[]> => {
    let remembered = memory.get(scheduleId);
    if (!remembered) {
      remembered = { lastPublishedAt: 0, lastState: '', policySyncedAt: Number.NEGATIVE_INFINITY };
      memory.set(scheduleId, remembered);
    }
    // Before admitting, so a fresh process never admits on defaults a schedule an admin paused.
    await syncPolicy(scheduleId, remembered, Date.now());
    let tick = await room.admit(scheduleId, options.settings);
    options.observe?.(tick);
    if (tick.awaitingPriceFreeze && (await freezePrices(scheduleId))) {
      const admitting = await room.admit(scheduleId, options.settings);
      options.observe?.(admitting);
      tick = { ...admitting, expired: [...tick.expired, ...admitting.expired] };
    }
    // The admission is done: a failure after it must not lose its events. A ticket's events correlate by its id.
    const admittedEvents = stampTicketEvents(fansAdmitted(tick), { now: tick.now, correlationId: (ticketId) => ticketId, causationId: null, newId: options.newId });
    try {
      if (!tick.opened && tick.opensAt && tick.now >= tick.opensAt) startDraw(scheduleId);
      await publishIfDue(tick, remembered);
      if (tick.opened && tick.waiting + tick.preQueue + tick.active === 0) {
        await room.forgetIfIdleSince(scheduleId, new Date(tick.now.getTime() - forgetAfterMs));
      }
    } catch (error) {
      logger.error({ err: error, scheduleId }, 'admission tick failed after admitting');
    }
    return admittedEvents;
  };

  const tickAll = async () => {
    if (options.held?.()) return;
    await recordNumbers();
    const scheduleIds = await room.liveSchedules();
    liveAtLastTick = scheduleIds.length;
    const live = new Set(scheduleIds);
    for (const known of memory.keys()) if (!live.has(known)) memory.delete(known);
    const admitted = await Promise.all(
      scheduleIds.map((scheduleId) =>
        tickSchedule(scheduleId).catch((error: unknown) => {
          logger.error({ err: error, scheduleId }, 'admission tick failed');
          return [];
        }),
      ),
    );
    await writeEvents(admitted.flat());
  };

  const loop = () => {
    if (stopped) return;
    ticking = true;
    current = tickAll()
      .catch((error: unknown) => logger.error({ err: error }, 'admission tick failed'))
      .finally(() => {
        ticking = false;
        if (!stopped) timer = setTimeout(loop, liveAtLastTick > 0 ? options.tickMs : idleTickMs);
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    /** Someone entered a line here: tick now rather than at the end of an idle sleep. */
    nudge() {
      if (stopped || ticking || liveAtLastTick > 0) return;
      clearTimeout(timer);
      loop();
    },
    /** Finishes the tick and draw steps in flight, starts no more (SIGTERM). */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      await Promise.all(draws.values());
      // A last try for events and numbers an earlier failed write left behind.
      await writeEvents([]);
      await recordNumbers();
    },
  };
}

function toProgress(tick: AdmissionTick): QueueProgress {
  return {
    scheduleId: tick.scheduleId,
    nowServing: tick.nowServing,
    admitsPerSecond: tick.admitsPerSecond,
    paused: tick.paused,
    preQueue: !tick.opened,
    admitted: tick.admitted.map(({ ticketId, queueNumber, expiresAt }) => ({ ticketId, queueNumber, expiresAt: expiresAt.toISOString() })),
    expired: tick.expired,
    at: tick.now.toISOString(),
  };
}
