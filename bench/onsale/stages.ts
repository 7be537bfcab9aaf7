/**
 * Where a payment's time goes between `payBooking` and CONFIRMED on the subscription, per stage,
 * from the timestamps the saga leaves behind (booking transitions, both outboxes, the payment row)
 * and the load generator's own clock: one machine, one clock. An outbox row's `published_at` is
 * stamped in the relay's transaction, which begins before it sends to Kafka: so "relay" stages are
 * the wait for a relay round, and the Kafka send falls into the stage after.
 */
import { Client } from 'pg';
import { summarize, type LatencySummary } from '../lib/load';
import type { Databases } from './audit';
import type { Payment } from './pay-phase';

export interface Stage {
  name: string;
  latencyMs: LatencySummary;
  samples: number;
}

interface Marks {
  sent: number;
  pending?: number;
  requestedPublished?: number;
  paymentRecorded?: number;
  completedPublished?: number;
  confirmed?: number;
  confirmedPublished?: number;
  seen: number;
}

async function rows<T extends Record<string, unknown>>(url: string, text: string, values: unknown[]): Promise<T[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return (await db.query<T>(text, values)).rows;
  } finally {
    await db.end();
  }
}

/** Stages of the payments that ended CONFIRMED; a stage whose timestamps are missing is left out. */
export async function paymentStages(dbs: Databases, payments: readonly Payment[]): Promise<Stage[]> {
  const confirmed = payments.filter((p) => p.verdict?.status === 'CONFIRMED' && p.sentAt !== undefined);
  const ids = confirmed.map((p) => p.booking.bookingId);
  const marks = new Map<string, Marks>(confirmed.map((p) => [p.booking.bookingId, { sent: p.sentAt!, seen: p.verdict!.at }]));
  const set = (id: string, key: keyof Marks, at: Date | null) => {
    const mark = marks.get(id);
    if (mark && at) mark[key] = at.getTime();
  };
  for (const row of await rows<{ booking_id: string; status: string; at: Date }>(
    dbs.booking,
    `SELECT booking_id, status, at FROM booking_transitions WHERE booking_id = ANY($1::uuid[]) AND status IN ('PAYMENT_PENDING', 'CONFIRMED')`,
    [ids],
  )) {
    set(row.booking_id, row.status === 'CONFIRMED' ? 'confirmed' : 'pending', row.at);
  }
  for (const row of await rows<{ aggregate_id: string; event_type: string; published_at: Date | null }>(
    dbs.booking,
    `SELECT aggregate_id, event_type, published_at FROM outbox WHERE aggregate_id = ANY($1::text[]) AND event_type IN ('PaymentRequested', 'BookingConfirmed')`,
    [ids],
  )) {
    set(row.aggregate_id, row.event_type === 'PaymentRequested' ? 'requestedPublished' : 'confirmedPublished', row.published_at);
  }
  for (const row of await rows<{ booking_id: string; created_at: Date }>(dbs.payment, 'SELECT booking_id, created_at FROM payments WHERE booking_id = ANY($1::uuid[])', [ids])) {
    set(row.booking_id, 'paymentRecorded', row.created_at);
  }
  for (const row of await rows<{ booking_id: string; published_at: Date | null }>(
    dbs.payment,
    `SELECT payload -> 'payload' ->> 'bookingId' AS booking_id, published_at FROM outbox WHERE event_type = 'PaymentCompleted'`,
    [],
  )) {
    set(row.booking_id, 'completedPublished', row.published_at);
  }

  const stage = (name: string, from: keyof Marks, to: keyof Marks): Stage => {
    const samples = [...marks.values()].flatMap((m) => (m[from] !== undefined && m[to] !== undefined ? [m[to] - m[from]] : []));
    return { name, latencyMs: summarize(samples), samples: samples.length };
  };
  return [
    stage('payBooking sent → PAYMENT_PENDING committed (gateway, booking)', 'sent', 'pending'),
    stage('→ PaymentRequested picked up by the booking relay', 'pending', 'requestedPublished'),
    stage('→ payment recorded (Kafka, payment consumer, wallet debit)', 'requestedPublished', 'paymentRecorded'),
    stage('→ PaymentCompleted picked up by the payment relay', 'paymentRecorded', 'completedPublished'),
    stage('→ CONFIRMED committed (Kafka, booking consumer)', 'completedPublished', 'confirmed'),
    stage('→ BookingConfirmed picked up by the booking relay', 'confirmed', 'confirmedPublished'),
    stage('→ seen on the subscription (Kafka, realtime relay, Redis, gateway re-read, WebSocket)', 'confirmedPublished', 'seen'),
    stage('total: payBooking sent → CONFIRMED seen', 'sent', 'seen'),
  ].filter((s) => s.samples > 0);
}
