import { Kind, parse, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { bookingChangedSchema, bookingChannels, type BookingChanged } from '@ticketing/contracts';
import { clientError, ErrorCode, requireViewer, type Logger } from '@ticketing/platform';
import { dataOrThrow, type ExecuteThroughGateway } from '../execute-through-gateway';
import { fetchListenFetch, listenFetch } from '../fetch-listen-fetch';
import { listenForMessages } from '../listen-for-messages';
import { createPushIterator } from '../push-iterator';
import type { RedisFanout } from '../redis-fanout';
import { markResponseShaped } from '../response-shaped';
import { buildSelectionQuery, mergeSelections, type SelectionQuery, type SubscriptionDocument } from '../selection-query';
import { createSerialRefresh } from '../serial-refresh';
import type { SubscriptionSource } from '../subscription-server';

type BookingStatus = BookingChanged['status'];

/**
 * The stream ends once one of these has been pushed: the saga is over. A CONFIRMED booking may
 * still be refunded much later (an admin, or its owner before the cutoff); that shows in its
 * status and timeline when read, rather than keeping every sold booking's subscription open.
 */
const FINAL_STATUSES: ReadonlySet<BookingStatus> = new Set(['CONFIRMED', 'CANCELLED', 'EXPIRED', 'REFUNDED']);

/** A booking id as PostgreSQL prints a uuid, and so as the relay names its channel. */
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The response key of what the source itself needs, whatever the subscriber selected. */
const GUARD = 'bookingUpdatedGuard';

/**
 * The Booking type exposes no version, but the booking's version is its number of transitions
 * minus one (0 for the hold, +1 per transition), and `history` lists every transition.
 */
const GUARD_SELECTION = (parse('{ id status history { status } }').definitions[0] as OperationDefinitionNode).selectionSet;

interface GuardFields {
  id: string;
  status: BookingStatus;
  history: ReadonlyArray<{ status: BookingStatus }>;
}

/** Fields a `BookingChanged` message answers: the status it carries, and those no transition changes. */
const ANSWERED_BY_MESSAGE = new Set(['id', 'status', 'amount', 'createdAt', '__typename']);

/**
 * The response keys of `status` when the subscriber selected nothing a message cannot answer
 * (plain fields of `ANSWERED_BY_MESSAGE`, aliased or not, no fragments or directives); null when
 * each change needs a re-read. A fan's app that follows the status alone then costs no query per
 * change: at an on-sale that is two re-reads through the gateway per payment saved.
 */
export function statusKeysIfMessageAnswers(selection: SelectionSetNode): string[] | null {
  const keys: string[] = [];
  for (const node of selection.selections) {
    if (node.kind !== Kind.FIELD || node.selectionSet || node.directives?.length || node.arguments?.length) return null;
    if (!ANSWERED_BY_MESSAGE.has(node.name.value)) return null;
    if (node.name.value === 'status') keys.push(node.alias?.value ?? node.name.value);
  }
  return keys;
}

/** One answer: what the source decides on, and the subscriber's view (their selection, their shape). */
interface BookingSnapshot {
  id: string;
  status: BookingStatus;
  version: number;
  view: unknown;
}

/**
 * The re-fetch query: the subscriber's selection under `booking(id)`, so every field they chose
 * (seats, schedule, user: other subgraphs' fields) comes back through federation, beside the
 * guard fields under their own alias, so the source's needs never touch the subscriber's shape.
 */
export function bookingQueryFor(subscription: SubscriptionDocument, selection: SelectionSetNode): SelectionQuery {
  return buildSelectionQuery({
    operationName: 'BookingForSubscription',
    idArgument: 'id',
    idType: 'ID!',
    roots: [
      { field: 'booking', selectionSet: selection },
      { alias: GUARD, field: 'booking', selectionSet: GUARD_SELECTION },
    ],
    subscription,
  });
}

/**
 * `bookingUpdated(bookingId)`: the booking now, then after every status change, until a final
 * status. The first answer is read through the gateway with the subscriber's token, so the
 * booking subgraph's rule (owner or admin, NOT_FOUND for anyone else) decides who may follow.
 * A `BookingChanged` message says the booking moved to a version and status: a subscriber who
 * selected only what the message answers gets it pushed straight away; any other selection is
 * re-read through the gateway. Stale or repeated messages (version not newer than the one
 * pushed) cost nothing either way.
 */
export function bookingUpdatedSource(deps: {
  fanout: RedisFanout;
  execute: ExecuteThroughGateway;
  redisPrefix: string;
  logger: Logger;
}): SubscriptionSource {
  return {
    field: 'bookingUpdated',
    async subscribe(args, context, info) {
      requireViewer(context.viewer);
      const bookingId = typeof args['bookingId'] === 'string' ? args['bookingId'] : '';
      const selection = mergeSelections(info.fieldNodes);
      const query = bookingQueryFor(info, selection);
      const statusKeys = statusKeysIfMessageAnswers(selection);

      const fetchBooking = async (): Promise<BookingSnapshot> => {
        const data = dataOrThrow(await deps.execute<Record<string, unknown>>(query.text, query.variables(bookingId), context));
        const guard = data?.[GUARD] as GuardFields | null | undefined;
        const view = data?.['booking'];
        if (!guard || !view) throw clientError(ErrorCode.NOT_FOUND, 'Booking not found');
        return { id: guard.id, status: guard.status, version: guard.history.length - 1, view: markResponseShaped(view) };
      };

      let pushedVersion = -1;
      let pushedView: Record<string, unknown> | undefined;
      let ended = false;
      const listening: { stop?: () => void } = {};
      const stream = createPushIterator<unknown>(() => {
        ended = true;
        listening.stop?.();
      });

      const publish = (booking: BookingSnapshot) => {
        if (ended || booking.version <= pushedVersion) return;
        pushedVersion = booking.version;
        pushedView = booking.view as Record<string, unknown>;
        stream.push(booking.view);
        if (FINAL_STATUSES.has(booking.status)) stream.end();
      };

      // One re-read at a time, so pushes keep the booking's order.
      const { refresh, busy } = createSerialRefresh({ read: fetchBooking, deliver: publish, fail: (error) => stream.fail(error), ended: () => ended });

      const steps = {
        fetch: fetchBooking,
        listen: (channel: string, onMessage: (change: BookingChanged) => void) => listenForMessages(deps, channel, bookingChangedSchema, onMessage),
        onListening: (stop: () => void) => (listening.stop = stop),
        begin: publish,
        onMessage: (change: BookingChanged) => {
          if (change.version <= pushedVersion || ended) return;
          // The subscriber's booking was authorized by the first read, and its owner never
          // changes; the message comes from the booking subgraph's own events.
          if (statusKeys && pushedView && !busy()) {
            const view = { ...pushedView, ...Object.fromEntries(statusKeys.map((key) => [key, change.status])) };
            return publish({ id: bookingId, status: change.status, version: change.version, view: markResponseShaped(view) });
          }
          refresh();
        },
      };
      // The relay names the channel by the booking's id as stored: an id asked in that form names
      // it before any read; any other spelling (upper case, say) is learnt from the first answer.
      await (CANONICAL_ID.test(bookingId)
        ? listenFetch({ ...steps, channel: bookingChannels.booking(deps.redisPrefix, bookingId), isFinal: (booking) => FINAL_STATUSES.has(booking.status) })
        : fetchListenFetch({ ...steps, channelOf: (first) => (FINAL_STATUSES.has(first.status) ? null : bookingChannels.booking(deps.redisPrefix, first.id)) }));
      return stream;
    },
  };
}
