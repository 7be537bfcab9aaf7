import { GraphQLError } from 'graphql';
import { queueProgressSchema, realtimeChannels, type QueueProgress } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { fetchListenFetch } from '../fetch-listen-fetch';
import { listenForMessages } from '../listen-for-messages';
import { createPushIterator } from '../push-iterator';
import type { RedisFanout } from '../redis-fanout';
import type { RealtimeContext, SubscriptionSource } from '../subscription-server';
import { dataOrThrow, type ExecuteThroughGateway } from '../execute-through-gateway';
import { advanceTicket, expireIfDue, QUEUE_TICKET_FIELDS, type QueueTicketView } from './queue-ticket-state';

const TICKET_QUERY = `query QueueTicketForSubscription($token: String!) { queueTicket(token: $token) { ${QUEUE_TICKET_FIELDS} } }`;

/**
 * `queueTicketUpdated(token)`: the ticket now, then every change. Position moves come from the
 * schedule's one progress broadcast per tick (the gateway works out each subscriber's position
 * locally, so a million waiting fans cost one Redis message per tick, not a million). Expiry is a
 * local timer at `expiresAt`. Authorization is the queue's own: the first fetch goes through the
 * gateway with the subscriber's token, and a ticket that is not theirs is QUEUE_TOKEN_INVALID.
 */
export function queueTicketUpdatedSource(deps: {
  fanout: RedisFanout;
  execute: ExecuteThroughGateway;
  redisPrefix: string;
  logger: Logger;
  /** Spreads the re-fetches of the opening moment, when every pre-queue ticket is drawn a number. */
  refetchJitterMs?: number;
}): SubscriptionSource {
  const fetchTicket = async (token: string, context: RealtimeContext): Promise<QueueTicketView> => {
    const data = dataOrThrow(await deps.execute<{ queueTicket: QueueTicketView | null }>(TICKET_QUERY, { token }, context));
    if (!data?.queueTicket) throw new GraphQLError('Unknown queue ticket', { extensions: { code: 'QUEUE_TOKEN_INVALID' } });
    return data.queueTicket;
  };

  return {
    field: 'queueTicketUpdated',
    async subscribe(args, context) {
      const token = typeof args['token'] === 'string' ? args['token'] : '';
      let ticket: QueueTicketView | undefined;
      let expiryTimer: NodeJS.Timeout | undefined;
      let refetching = false;
      const listening: { stop?: () => void } = {};
      const stream = createPushIterator<QueueTicketView>(() => {
        listening.stop?.();
        clearTimeout(expiryTimer);
      });

      const publish = (next: QueueTicketView) => {
        ticket = next;
        stream.push(next);
        clearTimeout(expiryTimer);
        if (next.status === 'EXPIRED') return stream.end();
        if (next.status === 'ACTIVE' && next.expiresAt) {
          const delay = Math.max(0, Date.parse(next.expiresAt) - Date.now());
          expiryTimer = setTimeout(() => {
            const expired = ticket && expireIfDue(ticket, new Date());
            if (expired) publish(expired);
          }, delay + 5);
        }
      };

      const refetch = () => {
        if (refetching) return;
        refetching = true;
        const jitter = Math.random() * (deps.refetchJitterMs ?? 500);
        setTimeout(() => {
          fetchTicket(token, context).then(
            (fresh) => {
              refetching = false;
              if (JSON.stringify(fresh) !== JSON.stringify(ticket)) publish(fresh);
            },
            (error: unknown) => stream.fail(error),
          );
        }, jitter);
      };

      const apply = (progress: QueueProgress) => {
        if (!ticket) return;
        const step = advanceTicket(ticket, progress);
        if (step.kind === 'changed') publish(step.ticket);
        else if (step.kind === 'refetch') refetch();
      };

      await fetchListenFetch({
        fetch: () => fetchTicket(token, context),
        channelOf: (first) => (first.status === 'EXPIRED' ? null : realtimeChannels.queueProgress(deps.redisPrefix, first.scheduleId)),
        listen: (channel, onMessage) => listenForMessages(deps, channel, queueProgressSchema, onMessage),
        onListening: (stop) => (listening.stop = stop),
        begin: publish,
        onMessage: apply,
      });
      return stream;
    },
  };
}
