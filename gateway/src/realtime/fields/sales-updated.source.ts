import { parse, type OperationDefinitionNode } from 'graphql';
import { historyChannels, salesChangedSchema, type SalesChanged } from '@ticketing/contracts';
import { clientError, ErrorCode, requireAdmin, type Logger } from '@ticketing/platform';
import { dataOrThrow, type ExecuteThroughGateway } from '../execute-through-gateway';
import { fetchListenFetch } from '../fetch-listen-fetch';
import { listenForMessages } from '../listen-for-messages';
import { createPushIterator } from '../push-iterator';
import type { RedisFanout } from '../redis-fanout';
import { markResponseShaped } from '../response-shaped';
import { buildSelectionQuery, mergeSelections } from '../selection-query';
import { createSerialRefresh } from '../serial-refresh';
import type { SubscriptionSource } from '../subscription-server';

/** The response key of what the source itself needs, whatever the subscriber selected. */
const GUARD = 'salesUpdatedGuard';
const GUARD_SELECTION = (parse('{ scheduleId asOfPosition }').definitions[0] as OperationDefinitionNode).selectionSet;

interface DashboardSnapshot {
  scheduleId: string;
  position: number;
  view: unknown;
}

/**
 * `salesUpdated(scheduleId)`: the schedule's sales dashboard now, then each time the history
 * projection moved it. Admins only, checked here before anything is read and again by the
 * history subgraph on every read (which goes through the gateway with the subscriber's token).
 * A `SalesChanged` message only says the dashboard reached a position; the subscriber's own
 * selection is re-read, one read at a time, so a busy on-sale costs at most one read in flight
 * and one queued per subscriber, however many batches the projection applies meanwhile.
 */
export function salesUpdatedSource(deps: { fanout: RedisFanout; execute: ExecuteThroughGateway; redisPrefix: string; logger: Logger }): SubscriptionSource {
  return {
    field: 'salesUpdated',
    async subscribe(args, context, info) {
      requireAdmin(context.viewer);
      const requested = typeof args['scheduleId'] === 'string' ? args['scheduleId'] : '';
      const query = buildSelectionQuery({
        operationName: 'SalesDashboardForSubscription',
        idArgument: 'scheduleId',
        idType: 'ID!',
        roots: [
          { field: 'salesDashboard', selectionSet: mergeSelections(info.fieldNodes) },
          { alias: GUARD, field: 'salesDashboard', selectionSet: GUARD_SELECTION },
        ],
        subscription: info,
      });
      const fetchDashboard = async (): Promise<DashboardSnapshot> => {
        const data = dataOrThrow(await deps.execute<Record<string, unknown>>(query.text, query.variables(requested), context));
        const guard = data?.[GUARD] as { scheduleId: string; asOfPosition: string } | null | undefined;
        if (!guard || !data?.['salesDashboard']) throw clientError(ErrorCode.NOT_FOUND, 'No sales recorded for this schedule (yet)');
        return { scheduleId: guard.scheduleId, position: Number(guard.asOfPosition), view: markResponseShaped(data['salesDashboard']) };
      };

      let pushedPosition = -1;
      let ended = false;
      const listening: { stop?: () => void } = {};
      const stream = createPushIterator<unknown>(() => {
        ended = true;
        listening.stop?.();
      });
      const publish = (dashboard: DashboardSnapshot) => {
        if (ended || dashboard.position <= pushedPosition) return;
        pushedPosition = dashboard.position;
        stream.push(dashboard.view);
      };
      const { refresh } = createSerialRefresh({ read: fetchDashboard, deliver: publish, fail: (error) => stream.fail(error), ended: () => ended });

      await fetchListenFetch({
        fetch: fetchDashboard,
        // The history subgraph's spelling of the id, which is what its notifier names the channel with.
        channelOf: (first) => historyChannels.sales(deps.redisPrefix, first.scheduleId),
        listen: (channel, onMessage) => listenForMessages(deps, channel, salesChangedSchema, onMessage),
        onListening: (stop) => (listening.stop = stop),
        begin: publish,
        onMessage: (change: SalesChanged) => {
          if (!ended && change.asOfPosition > pushedPosition) refresh();
        },
      });
      return stream;
    },
  };
}

