import type { QueueProgress } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { shuffle, type RandomInt } from '../domain/fair-start';
import type { AdmissionPolicyStore, AdmissionSettings, AdmissionTick, ProgressPublisher, WaitingRoom } from './ports';

export interface AdmissionWorkerOptions {
  room: WaitingRoom;
  policies: Pick<AdmissionPolicyStore, 'find'>;
  publisher: ProgressPublisher;
  settings: AdmissionSettings;
  randomInt: RandomInt;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  tickMs: number;
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
 */
export function createAdmissionWorker(options: AdmissionWorkerOptions) {
  const heartbeatMs = options.heartbeatMs ?? 1_000;
  const policySyncMs = options.policySyncMs ?? 5_000;
  const forgetAfterMs = options.forgetAfterMs ?? 10 * 60_000;
  const drawBatchSize = options.drawBatchSize ?? 2_000;
  const { room, logger } = options;
  const memory = new Map<string, ScheduleMemory>();
  const draws = new Map<string, Promise<void>>();
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

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

  const tickSchedule = async (scheduleId: string) => {
    let remembered = memory.get(scheduleId);
    if (!remembered) {
      remembered = { lastPublishedAt: 0, lastState: '', policySyncedAt: Number.NEGATIVE_INFINITY };
      memory.set(scheduleId, remembered);
    }
    // Before admitting, so a fresh process never admits on defaults a schedule an admin paused.
    await syncPolicy(scheduleId, remembered, Date.now());
    const tick = await room.admit(scheduleId, options.settings);
    options.observe?.(tick);
    if (!tick.opened && tick.opensAt && tick.now >= tick.opensAt) startDraw(scheduleId);
    await publishIfDue(tick, remembered);
    if (tick.opened && tick.waiting + tick.preQueue + tick.active === 0) {
      await room.forgetIfIdleSince(scheduleId, new Date(tick.now.getTime() - forgetAfterMs));
    }
  };

  const tickAll = async () => {
    const scheduleIds = await room.liveSchedules();
    const live = new Set(scheduleIds);
    for (const known of memory.keys()) if (!live.has(known)) memory.delete(known);
    await Promise.all(
      scheduleIds.map((scheduleId) =>
        tickSchedule(scheduleId).catch((error: unknown) => logger.error({ err: error, scheduleId }, 'admission tick failed')),
      ),
    );
  };

  const loop = () => {
    if (stopped) return;
    current = tickAll()
      .catch((error: unknown) => logger.error({ err: error }, 'admission tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.tickMs);
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    /** Finishes the tick and draw steps in flight, starts no more (SIGTERM). */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      await Promise.all(draws.values());
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
