/** The knobs of `npm run bench:onsale`, from the environment, with defaults that finish in a few minutes. */
import { positiveInt, fraction } from '../lib/env';

export interface OnsaleConfig {
  /** Fans who enter the queue, are admitted and try to hold seats. */
  users: number;
  /** Seats of the schedule. Demand (users × 1–4 seats) above supply makes the end of the sale contended. */
  seats: number;
  /** Holds in flight at once (closed loop). */
  concurrency: number;
  /** Payments per second the pay phase aims at (open loop). */
  payRate: number;
  /**
   * Payments made first at a light `probeRate`, before the rest at `payRate`: the saga's latency
   * without queueing, so the loaded numbers can be read against it.
   */
  probePayments: number;
  probeRate: number;
  /** holdSeats calls a fan makes before giving up (the first plus retries with other seats after SEAT_UNAVAILABLE). */
  holdTries: number;
  /**
   * Extra fans who hold and pay on a schedule of their own before the measured phases, so JIT,
   * pools and Kafka consumers are warm as they would be on a live system. Not measured; audited.
   */
  warmupFans: number;
  /** Share of fans whose wallet cannot cover any seat: exercises INSUFFICIENT_BALANCE and the cancellation path. */
  shortFraction: number;
  noopSeconds: number;
  /** Seconds to wait for the shared box to go quiet before measuring (0: do not wait). */
  quietWaitSeconds: number;
  pgbenchSeconds: number;
  /** BENCH_PROFILE=1: per-phase CPU profiles of every process instead of recorded numbers. */
  profile: boolean;
  /**
   * BENCH_COPIES=1,2: the whole run once per entry, with that many copies of every process behind
   * HAProxy (issue 13), then one table comparing them; numbers compared come from one invocation.
   */
  copies: number[];
  /**
   * BENCH_SECTION=pay-150: the run writes its own BENCHMARKS.md section (`onsale-pay-150`), so a
   * variant of the scenario (another payment rate, say) sits beside the standard run instead of
   * replacing it.
   */
  section: string | null;
  /**
   * BENCH_HOLD_WITH=token: fans hold with their queue token, which booking sends to the waiting
   * room to check, instead of their admission pass, checked by booking alone (ADR 0013); the
   * cost of that check, measured in one box's run.
   */
  holdWith: 'pass' | 'token';
  /** The exact command that reproduces this run, for the report. */
  command: string;
}

function copiesList(raw: string): number[] {
  const copies = raw.split(',').map((part) => Number(part.trim()));
  if (copies.length === 0 || copies.some((n) => !Number.isInteger(n) || n < 1 || n > 4)) throw new Error(`BENCH_COPIES must list whole numbers from 1 to 4, e.g. 1,2 (got ${raw})`);
  return copies;
}

function holdWith(raw: string | undefined): 'pass' | 'token' {
  if (raw === undefined || raw === '' || raw === 'pass') return 'pass';
  if (raw === 'token') return 'token';
  throw new Error(`BENCH_HOLD_WITH must be pass or token (got ${raw})`);
}

function sectionName(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(raw)) throw new Error(`BENCH_SECTION must be lower-case letters, digits and dashes, e.g. pay-150 (got ${raw})`);
  return raw;
}

export function loadConfig(): OnsaleConfig {
  const config = {
    users: positiveInt('BENCH_USERS', 2000),
    seats: positiveInt('BENCH_SEATS', 4000),
    concurrency: positiveInt('BENCH_CONCURRENCY', 32),
    payRate: positiveInt('BENCH_PAY_RATE', 300),
    probePayments: positiveInt('BENCH_PROBE_PAYMENTS', 150),
    probeRate: positiveInt('BENCH_PROBE_RATE', 20),
    holdTries: positiveInt('BENCH_HOLD_TRIES', 4),
    warmupFans: positiveInt('BENCH_WARMUP_FANS', 200),
    shortFraction: fraction('BENCH_SHORT_FRACTION', 0.05),
    noopSeconds: positiveInt('BENCH_NOOP_SECONDS', 10),
    quietWaitSeconds: Number(process.env['BENCH_QUIET_WAIT_SECONDS'] ?? 300),
    pgbenchSeconds: positiveInt('BENCH_PGBENCH_SECONDS', 15),
    profile: process.env['BENCH_PROFILE'] === '1',
    copies: copiesList(process.env['BENCH_COPIES'] ?? '1'),
    section: sectionName(process.env['BENCH_SECTION']),
    holdWith: holdWith(process.env['BENCH_HOLD_WITH']),
  };
  const command =
    `${config.profile ? 'BENCH_PROFILE=1 ' : ''}BENCH_USERS=${config.users} BENCH_SEATS=${config.seats} ` +
    `BENCH_CONCURRENCY=${config.concurrency} BENCH_PAY_RATE=${config.payRate} BENCH_PROBE_PAYMENTS=${config.probePayments} ` +
    `BENCH_PROBE_RATE=${config.probeRate} BENCH_HOLD_TRIES=${config.holdTries} ` +
    `BENCH_WARMUP_FANS=${config.warmupFans} BENCH_SHORT_FRACTION=${config.shortFraction} BENCH_QUIET_WAIT_SECONDS=${config.quietWaitSeconds} ` +
    `${config.copies.join(',') === '1' ? '' : `BENCH_COPIES=${config.copies.join(',')} `}` +
    `${config.section ? `BENCH_SECTION=${config.section} ` : ''}${config.holdWith === 'token' ? 'BENCH_HOLD_WITH=token ' : ''}npm run bench:onsale`;
  return { ...config, command };
}

export function log(message: string): void {
  console.log(`[bench:onsale] ${message}`);
}
