import type { FieldNode } from 'graphql';
import type { SeatsChanged } from '@ticketing/contracts';
import { markResponseShaped } from '../response-shaped';
import { buildSelectionQuery, fieldsByResponseKey, mergeSelections, type SelectionQuery, type SubscriptionDocument } from '../selection-query';

/** A Seat selection by response key (see `fieldsByResponseKey`). */
export type SeatFields = Map<string, FieldNode[]>;

/**
 * How `Seat.schedule` is answered for this selection: not at all (not selected), from the id the
 * subscription already knows (only `id`/`__typename` selected: no fetch), or by a query through
 * the gateway per message, since Schedule carries `availableSeatCount` and `seats`, which change
 * with exactly the seats being pushed.
 */
export type ScheduleResolution =
  | { kind: 'none' }
  | { kind: 'known'; schedules: Record<string, unknown> }
  | { kind: 'fetch'; query: SelectionQuery };

export function scheduleResolutionFor(seatFields: SeatFields, subscription: SubscriptionDocument, scheduleId: string): ScheduleResolution {
  const selections = [...seatFields].filter(([, nodes]) => nodes[0]?.name.value === 'schedule');
  if (selections.length === 0) return { kind: 'none' };
  const fieldsOf = (nodes: FieldNode[]) => fieldsByResponseKey(mergeSelections(nodes), subscription.fragments);
  const nameOf = (nodes: FieldNode[]) => nodes[0]!.name.value;
  const onlyId = selections.every(([, nodes]) => [...fieldsOf(nodes).values()].every((f) => ['id', '__typename'].includes(nameOf(f))));
  if (onlyId) {
    // `__typename` is answered by graphql-js itself; every other key here asks for the id.
    const idView = (nodes: FieldNode[]) =>
      Object.fromEntries([...fieldsOf(nodes)].filter(([, f]) => nameOf(f) === 'id').map(([key]) => [key, scheduleId]));
    return { kind: 'known', schedules: markResponseShaped(Object.fromEntries(selections.map(([key, nodes]) => [key, idView(nodes)]))) };
  }
  return {
    kind: 'fetch',
    query: buildSelectionQuery({
      operationName: 'ScheduleForSeatsSubscription',
      idArgument: 'id',
      idType: 'ID!',
      roots: selections.map(([key, nodes]) => ({ alias: key, field: 'schedule', selectionSet: mergeSelections(nodes) })),
      subscription,
    }),
  };
}

/**
 * The changed seats in the subscriber's shape (by response key): seat fields from the message,
 * each `schedule` selection from `schedules` (by the same key).
 */
export function seatViews(seats: SeatsChanged['seats'], seatFields: SeatFields, schedules: Record<string, unknown>): unknown[] {
  return seats.map((seat) => {
    const view: Record<string, unknown> = {};
    for (const [key, nodes] of seatFields) {
      const name = nodes[0]!.name.value;
      if (name === 'schedule') view[key] = schedules[key];
      else if (name in seat) view[key] = seat[name as keyof typeof seat];
    }
    return markResponseShaped(view);
  });
}
