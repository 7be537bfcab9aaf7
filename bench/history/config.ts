/** The knobs of `npm run bench:history`, from the environment, with defaults that finish in a few minutes. */
import { z } from 'zod';

const schema = z.object({
  /** Events in the store: archived from a Kafka backlog, then replayed by every projection. */
  BENCH_HISTORY_EVENTS: z.coerce.number().int().min(100).default(30_000),
  /** Share of fans short of money (PaymentFailed + BookingCancelled instead of a confirmation). */
  BENCH_SHORT_FRACTION: z.coerce.number().min(0).max(1).default(0.05),
  /** Schedules the fans are spread over. */
  BENCH_HISTORY_SCHEDULES: z.coerce.number().int().min(1).default(4),
  /** Seconds to wait for the shared box to go quiet before each measurement (0: do not wait). */
  BENCH_QUIET_WAIT_SECONDS: z.coerce.number().int().min(0).default(120),
  /** Events published at a steady rate while the history process and its projections run (the on-sale's regime). */
  BENCH_HISTORY_LIVE_EVENTS: z.coerce.number().int().min(0).default(4_500),
  /** Events per second of that live phase (an on-sale stored 43/s holding and 186/s paying). */
  BENCH_HISTORY_LIVE_RATE: z.coerce.number().int().min(1).default(150),
  /** BENCH_PROFILE=1: after the numbers, profile the archive and one more replay of each projection. */
  BENCH_PROFILE: z.enum(['0', '1']).default('0'),
});

export interface HistoryBenchConfig {
  events: number;
  shortFraction: number;
  schedules: number;
  quietWaitSeconds: number;
  liveEvents: number;
  liveRate: number;
  profile: boolean;
  /** The exact command that reproduces this run, for the report. */
  command: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HistoryBenchConfig {
  const parsed = schema.parse(env);
  const config = {
    events: parsed.BENCH_HISTORY_EVENTS,
    shortFraction: parsed.BENCH_SHORT_FRACTION,
    schedules: parsed.BENCH_HISTORY_SCHEDULES,
    quietWaitSeconds: parsed.BENCH_QUIET_WAIT_SECONDS,
    liveEvents: parsed.BENCH_HISTORY_LIVE_EVENTS,
    liveRate: parsed.BENCH_HISTORY_LIVE_RATE,
    profile: parsed.BENCH_PROFILE === '1',
  };
  const command =
    `${config.profile ? 'BENCH_PROFILE=1 ' : ''}BENCH_HISTORY_EVENTS=${config.events} BENCH_SHORT_FRACTION=${config.shortFraction} ` +
    `BENCH_HISTORY_SCHEDULES=${config.schedules} BENCH_HISTORY_LIVE_EVENTS=${config.liveEvents} BENCH_HISTORY_LIVE_RATE=${config.liveRate} BENCH_QUIET_WAIT_SECONDS=${config.quietWaitSeconds} npm run bench:history`;
  return { ...config, command };
}

export function log(message: string): void {
  console.log(`[bench:history] ${message}`);
}
