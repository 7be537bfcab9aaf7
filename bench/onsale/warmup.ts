/**
 * Before anything is measured, a few other fans run the whole story once on a schedule of their
 * own: JIT, connection pools, Kafka consumers and caches are then as warm as on a live system.
 * Nothing here is measured; the audit covers these bookings with the rest.
 */
import { log } from './config';
import { runHoldPhase, type HeldBooking } from './hold-phase';
import { payAtRate, watchBookings, type Payment } from './pay-phase';
import { admitEveryone, createOnsaleSchedule, signUpFans, type Fan } from './setup';

/** Warm-up payments leave slower than measured ones: the point is to touch every path, not to load it. */
const WARMUP_PAY_RATE = 50;

export async function warmUp(options: {
  gatewayUrl: string;
  concertDatabaseUrl: string;
  adminToken: string;
  fans: number;
  shortFraction: number;
  concurrency: number;
  tries: number;
  holdWith: 'pass' | 'token';
}): Promise<{ fans: Fan[]; held: HeldBooking[]; payments: readonly Payment[] }> {
  const schedule = await createOnsaleSchedule(options.concertDatabaseUrl, options.fans * 2);
  const signedUp = await signUpFans(options.gatewayUrl, options.fans, options.shortFraction);
  const fans = await admitEveryone(options.gatewayUrl, options.adminToken, schedule.scheduleId, signedUp);
  const hold = await runHoldPhase({
    gatewayUrl: options.gatewayUrl,
    scheduleId: schedule.scheduleId,
    fans,
    seats: schedule.seats,
    concurrency: options.concurrency,
    tries: options.tries,
    holdWith: options.holdWith,
  });
  const watches = await watchBookings(options.gatewayUrl, hold.held);
  const pay = await payAtRate(options.gatewayUrl, watches.payments, WARMUP_PAY_RATE);
  await watches.close();
  log(`  warm-up: ${hold.attempts} holds (p99 ${hold.latencyMs.p99} ms), ${pay.payments.length} payments (→ CONFIRMED p99 ${pay.confirmedLatencyMs.p99} ms)`);
  return { fans, held: hold.held, payments: pay.payments };
}
