/** The knobs of `npm run bench:faults`, from the environment, with defaults for a run of about 20 minutes. */
import { positiveInt } from '../lib/env';

export const FAULTS = ['none', 'booking', 'payment', 'concert', 'queue', 'history', 'gateway', 'kafka', 'redis', 'postgres'] as const;
export type FaultName = (typeof FAULTS)[number];

export interface FaultsConfig {
  /** Fans who hold and pay, in two waves: the first holds before the fault, the second while it happens. */
  fans: number;
  /** Fans who join the waiting room after the holders are admitted, while it is paused: they wait through the fault. */
  waiters: number;
  seats: number;
  /** Holds in flight at once in the first wave and in the second (the one the fault meets). */
  concurrency: number;
  /** Payments per second (open loop; each payment retries on its own until answered). */
  payRate: number;
  /** Seconds between the start of the in-flight phase and the fault. */
  faultAfterSeconds: number;
  /** How long each round waits for the in-flight work to settle before giving up. */
  settleSeconds: number;
  shortFraction: number;
  faults: FaultName[];
  command: string;
}

export function loadConfig(): FaultsConfig {
  const rawFaults = process.env['FAULTS_ONLY'];
  const faults = rawFaults ? rawFaults.split(',').map((f) => f.trim()) : [...FAULTS];
  for (const fault of faults) if (!(FAULTS as readonly string[]).includes(fault)) throw new Error(`FAULTS_ONLY: unknown fault "${fault}" (known: ${FAULTS.join(', ')})`);
  const config = {
    fans: positiveInt('FAULTS_FANS', 200),
    waiters: positiveInt('FAULTS_WAITERS', 40),
    seats: positiveInt('FAULTS_SEATS', 400),
    concurrency: positiveInt('FAULTS_CONCURRENCY', 6),
    payRate: positiveInt('FAULTS_PAY_RATE', 15),
    faultAfterSeconds: positiveInt('FAULTS_FAULT_AFTER_SECONDS', 2),
    settleSeconds: positiveInt('FAULTS_SETTLE_SECONDS', 180),
    shortFraction: Number(process.env['FAULTS_SHORT_FRACTION'] ?? 0.05),
    faults: faults as FaultName[],
  };
  const command =
    `FAULTS_FANS=${config.fans} FAULTS_WAITERS=${config.waiters} FAULTS_SEATS=${config.seats} FAULTS_CONCURRENCY=${config.concurrency} ` +
    `FAULTS_PAY_RATE=${config.payRate} FAULTS_FAULT_AFTER_SECONDS=${config.faultAfterSeconds} FAULTS_SETTLE_SECONDS=${config.settleSeconds} ` +
    `FAULTS_SHORT_FRACTION=${config.shortFraction}${rawFaults ? ` FAULTS_ONLY=${config.faults.join(',')}` : ''} npm run bench:faults`;
  return { ...config, command };
}

export function log(message: string): void {
  console.log(`[bench:faults] ${new Date().toISOString().slice(11, 23)} ${message}`);
}
