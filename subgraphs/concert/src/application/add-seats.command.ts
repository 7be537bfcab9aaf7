import type { CatalogSeat } from '@ticketing/contracts';
import { stampEnvelopes } from '@ticketing/messaging';
import { canonicalId, isCatalogId, type InvalidInput, type Schedule } from '../domain/catalog';
import { seatsAdded } from '../domain/catalog-events';
import { checkSeatCapacity, layOutSeats, type NewSeat, type SeatBlock, type SeatPosition, type TooManySeats } from '../domain/seat-layout';
import type { CatalogTransaction, SeatMapCache } from './ports';
import { commandContext, type CatalogCommandDeps, type CommandCaller, type CommandContext } from './record-catalog-events';

export type AddSeatsResult =
  | { kind: 'SeatsAdded'; schedule: Schedule; seats: CatalogSeat[] }
  | { kind: 'ScheduleNotFound' }
  /** Some of the seats exist already (a few of them named); nothing was added. */
  | { kind: 'SeatsTaken'; seats: SeatPosition[] }
  | TooManySeats;

/** How many already-taken seats a refusal names: enough to find the overlap, small enough to read. */
const TAKEN_SEATS_SHOWN = 10;

/**
 * Seats for a schedule, with their `SeatsAdded` events (chunked): folding a schedule's stream
 * gives its seats by section with their prices, as its rows have them. The schedule's row is
 * locked first, so batches of one schedule queue there: the seat count, the check for seats
 * that exist already and the stream versions are all read by one writer at a time, and every
 * refusal is decided before anything is written. The unique index on the seat's place stays
 * the fence.
 */
export async function addSeats(
  tx: CatalogTransaction,
  scheduleId: string,
  seats: readonly NewSeat[],
  context: CommandContext,
  limits: { maxSeatsPerSchedule: number },
): Promise<AddSeatsResult> {
  const schedule = await tx.lockSchedule(scheduleId);
  if (!schedule) return { kind: 'ScheduleNotFound' };
  const tooMany = checkSeatCapacity(await tx.countSeats(scheduleId), seats.length, limits.maxSeatsPerSchedule);
  if (tooMany) return tooMany;
  const taken = await tx.findTakenSeats(scheduleId, seats, TAKEN_SEATS_SHOWN);
  if (taken.length > 0) return { kind: 'SeatsTaken', seats: taken };

  const added = seats.map((seat) => ({ seatId: context.newId(), ...seat }));
  const events = seatsAdded(scheduleId, added);
  const fromVersion = await tx.claimVersions('schedule', scheduleId, events.length);
  if (fromVersion === null) throw new Error(`schedule ${scheduleId} vanished inside its transaction`);
  await tx.insertSeats(scheduleId, added);
  await tx.appendToOutbox(
    stampEnvelopes(events, { streamId: scheduleId, fromVersion, correlationId: context.correlationId, causationId: context.causationId, now: context.now, newId: context.newId }),
  );
  return { kind: 'SeatsAdded', schedule, seats: added };
}

/**
 * An admin lays out seats in blocks (section × rows × 1..seatsPerRow at one price). The blocks
 * are checked and expanded before any I/O; the seat map cache forgets the schedule only after
 * the commit (as for status changes), so no reader caches the seats from before it.
 */
export function addSeatsCommand(deps: CatalogCommandDeps & { cache: Pick<SeatMapCache, 'invalidate'>; maxSeatsPerSchedule: number }) {
  return async (scheduleId: string, blocks: readonly SeatBlock[], caller: CommandCaller): Promise<AddSeatsResult | InvalidInput> => {
    const layout = layOutSeats(blocks, deps.maxSeatsPerSchedule);
    if (layout.kind !== 'Valid') return layout;
    if (!isCatalogId(scheduleId)) return { kind: 'ScheduleNotFound' };
    const id = canonicalId(scheduleId);
    const context = commandContext(deps, caller);
    const result = await deps.writer.transact((tx) => addSeats(tx, id, layout.seats, context, { maxSeatsPerSchedule: deps.maxSeatsPerSchedule }));
    // Should Redis fail here, the seats are committed and the cached map is stale for at most its TTL.
    if (result.kind === 'SeatsAdded') await deps.cache.invalidate([id]);
    return result;
  };
}
