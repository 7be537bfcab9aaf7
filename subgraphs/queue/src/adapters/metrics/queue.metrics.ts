import { prometheus, type Logger, type Metrics } from '@ticketing/platform';
import type { AdmissionTick, LiveCounts, WaitingRoom } from '../../application/ports';

/** Schedules whose depth one scrape reads at most: the ones fans entered last. */
const MAX_SCHEDULES_PER_SCRAPE = 50;

export interface QueueMetricsOptions {
  room: Pick<WaitingRoom, 'liveSchedules' | 'counts'>;
  logger: Pick<Logger, 'warn'>;
  maxSchedules?: number;
  /** How long one reading of the waiting rooms serves every scrape (several Prometheus, say). Default 1 s. */
  refreshMs?: number;
}

/**
 * The waiting room in Prometheus terms, on the queue's registry. Counters move where the thing
 * happens (the admission step's answer, a retirement); the depth per schedule is read from Redis
 * at scrape time, so it is right on every instance even when no tick of its own ran.
 *
 * The depth is bounded twice: only schedules in the live set (someone entered lately or is still
 * in line; the admission worker forgets the idle ones), and of those the `maxSchedules` most
 * recently entered. One scrape costs Redis one ZRANGE plus one COUNTS script per schedule (two
 * ZCARDs, one ZCOUNT, two GETs, all O(log n)), and one reading serves every scrape for `refreshMs`.
 * Every queue instance reports the same depth: dashboards take `max by (schedule)`, never a sum.
 */
export function createQueueMetrics({ registry }: Pick<Metrics, 'registry'>, options: QueueMetricsOptions) {
  const registers = [registry];
  const maxSchedules = options.maxSchedules ?? MAX_SCHEDULES_PER_SCRAPE;
  const refreshMs = options.refreshMs ?? 1_000;
  const admitted = new prometheus.Counter({ name: 'queue_admitted_total', help: 'Tickets this process admitted (WAITING to ACTIVE), all schedules', registers });
  const expired = new prometheus.Counter({ name: 'queue_expired_total', help: 'ACTIVE tickets this process marked EXPIRED, all schedules', registers });
  const retired = new prometheus.Counter({
    name: 'queue_retired_total',
    help: 'ACTIVE tickets this process retired because their booking was confirmed, all schedules',
    registers,
  });

  let last: { at: number; reading: Promise<Array<[string, LiveCounts]>> } | undefined;
  const readDepth = () => {
    const now = Date.now();
    if (!last || now - last.at >= refreshMs) {
      const reading = (async () => {
        // The live set is ordered by last arrival: the tail is the schedules fans entered last.
        const scheduleIds = (await options.room.liveSchedules()).slice(-maxSchedules);
        return Promise.all(scheduleIds.map(async (scheduleId) => [scheduleId, await options.room.counts(scheduleId)] as [string, LiveCounts]));
      })();
      last = { at: now, reading };
      reading.catch(() => (last = undefined));
    }
    return last.reading;
  };

  new prometheus.Gauge({
    name: 'queue_waiting_room_tickets',
    help: 'Tickets in a live waiting room by state (pre_queue: before the opening draw; waiting: in line; active: admitted, not expired)',
    labelNames: ['schedule', 'state'] as const,
    registers,
    async collect() {
      try {
        const depth = await readDepth();
        // Reset first: a schedule that left the live set leaves the page too.
        this.reset();
        for (const [schedule, counts] of depth) {
          this.set({ schedule, state: 'pre_queue' }, counts.preQueue);
          this.set({ schedule, state: 'waiting' }, counts.waiting);
          this.set({ schedule, state: 'active' }, counts.active);
        }
      } catch (error) {
        // A scrape must not fail because Redis is away; the gauge keeps its last values.
        options.logger.warn({ err: error }, 'waiting-room depth could not be read');
      }
    },
  });

  return {
    /** Every admission step's answer (the worker's `observe`): what it admitted and expired. */
    tickObserved(tick: Pick<AdmissionTick, 'admitted' | 'expired'>): void {
      admitted.inc(tick.admitted.length);
      expired.inc(tick.expired.length);
    },
    ticketRetired(): void {
      retired.inc();
    },
  };
}

export type QueueMetrics = ReturnType<typeof createQueueMetrics>;
