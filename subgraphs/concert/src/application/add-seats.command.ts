import type { CatalogSeat } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import { seatsAdded } from '../domain/catalog-events';
import type { CatalogTransaction } from './ports';
import type { CommandContext } from './record-catalog-events';

export type NewSeat = Omit<CatalogSeat, 'seatId'>;

export type AddSeatsResult = { kind: 'SeatsAdded'; seats: CatalogSeat[] } | { kind: 'ScheduleNotFound' };

/**
 * Seats for a schedule, with their `SeatsAdded` events (chunked): folding a schedule's stream
 * gives its seats by section with their prices, as its rows have them. The schedule's row is
 * locked first (claiming the versions, which also tells a missing schedule before any insert),
 * so seat batches of one schedule never interleave.
 */
export async function addSeats(tx: CatalogTransaction, scheduleId: string, seats: readonly NewSeat[], context: CommandContext): Promise<AddSeatsResult> {
  const added = seats.map((seat) => ({ seatId: context.newId(), ...seat }));
  const events = seatsAdded(scheduleId, added);
  const fromVersion = await tx.claimVersions('schedule', scheduleId, events.length);
  if (fromVersion === null) return { kind: 'ScheduleNotFound' };
  await tx.insertSeats(scheduleId, added);
  await tx.appendToOutbox(
    stampEnvelopes(events, { streamId: scheduleId, fromVersion, correlationId: context.correlationId, causationId: context.causationId, now: context.now, newId: context.newId }),
  );
  return { kind: 'SeatsAdded', seats: added };
}
