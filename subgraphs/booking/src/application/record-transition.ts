import { randomUUID } from 'node:crypto';
import { stampEnvelopes, type DomainEvent } from '@ticketing/messaging';
import { needsSeatSequence, withSeatSequence, type Comped, type Decided, type Transitioned } from '../domain/booking';
import type { SeatBlockEvent, SeatBlockStep } from '../domain/seat-block';
import type { BookingTransaction, BookingWriter, Causation, FanHoldOutcome, SagaFacts, StoredBooking } from './ports';

/** The events of a step, enveloped once (stream `booking/<id>`, versions ending at the booking's new version). */
function envelopesOf({ booking, events, transition }: Decided, causation: Causation, seatSequence: number | null) {
  return stampEnvelopes(withSeatSequence(events, seatSequence), {
    streamId: booking.id,
    fromVersion: booking.version - events.length + 1,
    correlationId: causation.correlationId,
    causationId: causation.causationId,
    now: transition.at,
    newId: randomUUID,
  });
}

/**
 * The events of a step just written, numbered by the seat sequence its write drew if they change
 * seats, appended to the same transaction's outbox.
 */
async function publishEvents(tx: BookingTransaction, decided: Decided, causation: Causation, seatSequence: number | null): Promise<void> {
  await tx.appendToOutbox(envelopesOf(decided, causation, seatSequence));
}

/**
 * Stands in for the seat sequence of a hold's or a step's seat-changing event until its write
 * draws the real one and sets it (BookingWriter.insertHold, BookingTransaction.apply): the number
 * exists only once the claims are in. The smallest an event may carry, so the envelope is valid
 * until then (booking-writer-round-trips proves the stored event has the drawn one).
 */
const SEAT_SEQUENCE_DRAWN_BY_THE_WRITE = 1;

/** A fan's new hold and its SeatsHeld, in one write of its own, if the fan's seat cap allows it. */
export function recordFanHold(writer: BookingWriter, hold: Transitioned, causation: Causation, cap: { maxSeatsPerFan: number }): Promise<FanHoldOutcome> {
  return writer.insertHold(hold, envelopesOf(hold, causation, SEAT_SEQUENCE_DRAWN_BY_THE_WRITE), cap);
}

/** A new comp (its guest's name stored beside it, not in the event) and its SeatsComped, in the caller's transaction. */
export async function recordComp(tx: BookingTransaction, comp: Comped, causation: Causation): Promise<void> {
  const { seatSequence } = await tx.insertBooking(comp, comp.guestName);
  await publishEvents(tx, comp, causation, seatSequence);
}

/** A step's events, enveloped with the placeholder seat sequence when they move seats. */
const stepEnvelopes = (next: Decided, causation: Causation) =>
  envelopesOf(next, causation, needsSeatSequence(next.events) ? SEAT_SEQUENCE_DRAWN_BY_THE_WRITE : null);

/** A step of a booking the caller has locked (a transition or a refund request) and its events. */
export async function recordStep(tx: BookingTransaction, before: StoredBooking, next: Decided, causation: Causation, facts: SagaFacts = {}): Promise<void> {
  await tx.apply(before, next, facts, stepEnvelopes(next, causation));
}

/**
 * A step decided on a booking read without a lock, and its events, in one write of its own if
 * the booking is still as read (false: nothing written; read again).
 */
export function recordStepIfUnchanged(writer: BookingWriter, before: StoredBooking, next: Decided, causation: Causation, facts: SagaFacts = {}): Promise<boolean> {
  return writer.applyIfUnchanged(before, next, facts, stepEnvelopes(next, causation));
}

function withBlockSeatSequence(event: SeatBlockEvent, seatSequence: number): DomainEvent {
  switch (event.type) {
    case 'SeatsBlocked':
      return { type: event.type, payload: { ...event.payload, seatSequence } };
    case 'SeatsReleased':
      return { type: event.type, payload: { ...event.payload, seatSequence } };
  }
}

/**
 * Steps of seat blocks just written (their claims changed in this transaction): one seat
 * sequence number drawn after the claims, shared by the steps (they change different seats),
 * each enveloped on its block's stream `seat-block/<id>` and appended to the same outbox.
 */
export async function publishSeatBlockSteps(tx: BookingTransaction, steps: readonly SeatBlockStep[], causation: Causation): Promise<void> {
  if (steps.length === 0) return;
  const seatSequence = await tx.nextSeatSequence();
  const envelopes = steps.flatMap((step) =>
    stampEnvelopes(
      step.events.map((event) => withBlockSeatSequence(event, seatSequence)),
      {
        streamId: step.blockId,
        fromVersion: step.version - step.events.length + 1,
        correlationId: causation.correlationId,
        causationId: causation.causationId,
        now: step.at,
        newId: randomUUID,
      },
    ),
  );
  await tx.appendToOutbox(envelopes);
}
