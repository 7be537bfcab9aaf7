import { TICKET_STREAM_VERSIONS, type EventPayload, type QueueEventType } from '@ticketing/contracts';
import type { PolicySettings } from './admission-policy';

/** A waiting-room event as the domain decides it: what happened, before any envelope. */
export type QueueEvent = { [T in QueueEventType]: { type: T; payload: EventPayload<T> } }[QueueEventType];

/** An event of one ticket's stream, at its fixed position there. */
export interface TicketEvent {
  ticketId: string;
  streamVersion: number;
  event: QueueEvent;
}

/** The tickets one admission step moved from WAITING to ACTIVE: one `FanAdmitted` each. */
export function fansAdmitted(step: {
  scheduleId: string;
  now: Date;
  admitted: ReadonlyArray<{ ticketId: string; queueNumber: number; expiresAt: Date }>;
}): TicketEvent[] {
  return step.admitted.map(({ ticketId, queueNumber, expiresAt }) => ({
    ticketId,
    streamVersion: TICKET_STREAM_VERSIONS.FanAdmitted,
    event: {
      type: 'FanAdmitted',
      payload: { scheduleId: step.scheduleId, ticketId, queueNumber, admittedAt: step.now.toISOString(), expiresAt: expiresAt.toISOString() },
    },
  }));
}

/** The retirement of an ACTIVE ticket whose booking was confirmed. */
export function ticketRetired(retirement: {
  scheduleId: string;
  ticketId: string;
  userId: string;
  bookingId: string;
  queueNumber: number;
  retiredAt: Date;
}): TicketEvent {
  const { scheduleId, ticketId, userId, bookingId, queueNumber, retiredAt } = retirement;
  return {
    ticketId,
    streamVersion: TICKET_STREAM_VERSIONS.TicketRetired,
    event: { type: 'TicketRetired', payload: { scheduleId, ticketId, userId, bookingId, queueNumber, retiredAt: retiredAt.toISOString() } },
  };
}

/**
 * What an admin's policy change did, one event per kind of change, in the order a reader should
 * apply them: new rate or cap first, then a pause or resume. A change that leaves every setting
 * as it was (pausing a paused queue) is no event at all.
 */
export function policyChanged(scheduleId: string, changedBy: string, before: PolicySettings, after: PolicySettings): QueueEvent[] {
  const events: QueueEvent[] = [];
  if (before.admitsPerSecond !== after.admitsPerSecond || before.maxActive !== after.maxActive) {
    events.push({
      type: 'QueuePolicyChanged',
      payload: {
        scheduleId,
        changedBy,
        admitsPerSecond: after.admitsPerSecond,
        maxActive: after.maxActive,
        previous: { admitsPerSecond: before.admitsPerSecond, maxActive: before.maxActive },
      },
    });
  }
  if (before.paused !== after.paused) {
    events.push(after.paused ? { type: 'QueuePaused', payload: { scheduleId, changedBy } } : { type: 'QueueResumed', payload: { scheduleId, changedBy } });
  }
  return events;
}
