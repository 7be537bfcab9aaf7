import { bookingChannels, seatsChangedSchema, type SeatsChanged } from '@ticketing/contracts';
import { clientError, ErrorCode, type Logger } from '@ticketing/platform';
import { dataOrThrow, type ExecuteThroughGateway } from '../execute-through-gateway';
import { listenForMessages } from '../listen-for-messages';
import { createPushIterator } from '../push-iterator';
import type { RedisFanout } from '../redis-fanout';
import { markResponseShaped } from '../response-shaped';
import { fieldsByResponseKey, mergeSelections, type SelectionQuery } from '../selection-query';
import type { RealtimeContext, SubscriptionSource } from '../subscription-server';
import { scheduleResolutionFor, seatViews } from './seat-views';

const SCHEDULE_EXISTS = 'query ScheduleCheckForSeatsSubscription($id: ID!) { schedule(id: $id) { id } }';

/** Messages waiting for one Seat.schedule fetch; beyond this the oldest go (the push stream is bounded too). */
const MAX_WAITING_MESSAGES = 256;

/**
 * `seatsUpdated(scheduleId)`: the seats whose status changed, each time the catalog applies a
 * change. Public catalog data, so anonymous subscribers are welcome. The message carries the
 * changed seats whole, so the seat fields need no read-back: one publish serves every subscriber
 * of the schedule. Only a selected `Seat.schedule` beyond its id costs a query, batched: messages
 * that arrive while one is in flight share the next.
 */
export function seatsUpdatedSource(deps: {
  fanout: RedisFanout;
  execute: ExecuteThroughGateway;
  redisPrefix: string;
  logger: Logger;
}): SubscriptionSource {
  const fetchOrThrow = async (query: string, variables: Record<string, unknown>, context: RealtimeContext) =>
    dataOrThrow(await deps.execute<Record<string, unknown>>(query, variables, context)) ?? {};

  return {
    field: 'seatsUpdated',
    async subscribe(args, context, info) {
      const requested = typeof args['scheduleId'] === 'string' ? args['scheduleId'] : '';
      const found = (await fetchOrThrow(SCHEDULE_EXISTS, { id: requested }, context))['schedule'] as { id: string } | null | undefined;
      if (!found) throw clientError(ErrorCode.NOT_FOUND, 'Schedule not found');
      // The catalog's own spelling of the id, which is what its publisher names the channel with.
      const scheduleId = found.id;
      const seatFields = fieldsByResponseKey(mergeSelections(info.fieldNodes), info.fragments);
      const schedule = scheduleResolutionFor(seatFields, info, scheduleId);

      let closed = false;
      const listening: { stop?: () => void } = {};
      const stream = createPushIterator<unknown[]>(() => {
        closed = true;
        listening.stop?.();
      });
      const push = (message: SeatsChanged, schedules: Record<string, unknown>) =>
        stream.push(seatViews(message.seats, seatFields, schedules));

      const waiting: SeatsChanged[] = [];
      let fetching = false;
      const deliverWithSchedule = async (query: SelectionQuery) => {
        fetching = true;
        try {
          while (waiting.length > 0 && !closed) {
            const batch = waiting.splice(0);
            const schedules = markResponseShaped(await fetchOrThrow(query.text, query.variables(scheduleId), context));
            for (const message of batch) push(message, schedules);
          }
        } catch (error) {
          stream.fail(error);
        } finally {
          fetching = false;
        }
      };

      const onMessage = (message: SeatsChanged) => {
        if (closed) return;
        if (message.scheduleId.toLowerCase() !== scheduleId.toLowerCase()) {
          return deps.logger.warn({ scheduleId, messageScheduleId: message.scheduleId }, 'seats message of another schedule ignored');
        }
        switch (schedule.kind) {
          case 'none':
            return push(message, {});
          case 'known':
            return push(message, schedule.schedules);
          case 'fetch':
            waiting.push(message);
            if (waiting.length > MAX_WAITING_MESSAGES) waiting.shift();
            if (!fetching) void deliverWithSchedule(schedule.query);
            return;
        }
      };

      listening.stop = await listenForMessages(deps, bookingChannels.seats(deps.redisPrefix, scheduleId), seatsChangedSchema, onMessage);
      return stream;
    },
  };
}
