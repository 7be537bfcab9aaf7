import { GraphQLError } from 'graphql';
import {
  queueProgressSchema,
  queueTicketChangedSchema,
  realtimeChannels,
  type QueueProgress,
  type QueueTicketChanged,
} from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { fetchListenFetch } from '../fetch-listen-fetch';
import { listenForMessages } from '../listen-for-messages';
import { createPushIterator } from '../push-iterator';
import type { RedisFanout } from '../redis-fanout';
import type { RealtimeContext, SubscriptionSource } from '../subscription-server';
import { dataOrThrow, type ExecuteThroughGateway } from '../execute-through-gateway';
import { advanceTicket, afterTicketChanged, expireIfDue, QUEUE_TICKET_FIELDS, type QueueTicketView } from './queue-ticket-state';

const TICKET_QUERY = `query QueueTicketForSubscription($token: String!) { queueTicket(token: $token) { ${QUEUE_TICKET_FIELDS} } }`;

type TicketMessage = { kind: 'progress'; progress: QueueProgress } | { kind: 'changed'; change: QueueTicketChanged };

/** A ticket that can still change, and its schedule: the status decides which channel announces the next change. */
interface Following {
  scheduleId: string;
  status: 'WAITING' | 'ACTIVE';
}

/**
 * `queueTicketUpdated(token)`: the ticket now, then every change. Position moves come from the
 * schedule's one progress broadcast per tick (the gateway works out each subscriber's position
 * locally, so a million waiting fans cost one Redis message per tick, not a million). Once
 * admitted, a ticket changes only on its own: retired by a confirmed booking (announced on the
 * schedule's ticket channel, then re-read) or expired by a local timer at `expiresAt`.
 * Authorization is the queue's own: every read goes through the gateway with the subscriber's
 * token, and a ticket that is not theirs is QUEUE_TOKEN_INVALID.
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

  /**
   * A waiting ticket listens to the ticks; an admitted one only to the ticket channel, where
   * retirements are announced. Only ACTIVE tickets are retired, and every retirement goes to each
   * listener of the channel, so waiting fans do not parse other fans' retirements.
   */
  const follow = ({ scheduleId, status }: Following, onMessage: (message: TicketMessage) => void): Promise<() => void> =>
    status === 'WAITING'
      ? listenForMessages(deps, realtimeChannels.queueProgress(deps.redisPrefix, scheduleId), queueProgressSchema, (progress) =>
          onMessage({ kind: 'progress', progress }),
        )
      : listenForMessages(deps, realtimeChannels.queueTicket(deps.redisPrefix, scheduleId), queueTicketChangedSchema, (change) =>
          onMessage({ kind: 'changed', change }),
        );

  return {
    field: 'queueTicketUpdated',
    async subscribe(args, context) {
      const token = typeof args['token'] === 'string' ? args['token'] : '';
      let ticket: QueueTicketView | undefined;
      let expiryTimer: NodeJS.Timeout | undefined;
      let ended = false;
      const listening: { stop?: () => void; to?: Following['status'] } = {};
      const stream = createPushIterator<QueueTicketView>(() => {
        ended = true;
        listening.stop?.();
        clearTimeout(expiryTimer);
      });

      const publish = (next: QueueTicketView) => {
        if (ended) return;
        ticket = next;
        stream.push(next);
        clearTimeout(expiryTimer);
        if (next.status === 'EXPIRED') return stream.end();
        if (next.status === 'ACTIVE' && listening.to === 'WAITING') followAdmitted(next.scheduleId);
        if (next.status === 'ACTIVE' && next.expiresAt) {
          const delay = Math.max(0, Date.parse(next.expiresAt) - Date.now());
          expiryTimer = setTimeout(() => {
            const expired = ticket && expireIfDue(ticket, new Date());
            if (expired) publish(expired);
          }, delay + 5);
        }
      };

      // One re-read at a time. A tick's waits a jitter (the opening re-reads every pre-queue
      // ticket) and is covered by one already pending; a retirement's goes at once, and again
      // after one under way, whose answer may predate the retirement.
      let refetching = false;
      let refetchAgain = false;
      const refetch = (cause: TicketMessage['kind'] | 'admitted') => {
        if (refetching) {
          if (cause !== 'progress') refetchAgain = true;
          return;
        }
        refetching = true;
        const jitter = cause === 'progress' ? Math.random() * (deps.refetchJitterMs ?? 500) : 0;
        setTimeout(() => {
          void (async () => {
            try {
              do {
                refetchAgain = false;
                const fresh = await fetchTicket(token, context);
                if (JSON.stringify(fresh) !== JSON.stringify(ticket)) publish(fresh);
              } while (refetchAgain && !ended);
            } catch (error) {
              stream.fail(error);
            } finally {
              refetching = false;
            }
          })();
        }, jitter);
      };

      const onMessage = (message: TicketMessage) => {
        if (!ticket || ended) return;
        const step = message.kind === 'progress' ? advanceTicket(ticket, message.progress) : afterTicketChanged(ticket, message.change);
        if (step.kind === 'changed') publish(step.ticket);
        else if (step.kind === 'refetch') refetch(message.kind);
      };

      // Admitted while following the ticks: leave them for the ticket channel, then read again,
      // since a retirement announced before that subscription was confirmed is only in the queue.
      const followAdmitted = (scheduleId: string) => {
        listening.stop?.();
        listening.stop = undefined;
        listening.to = 'ACTIVE';
        follow({ scheduleId, status: 'ACTIVE' }, onMessage).then(
          (stop) => {
            if (ended) return stop();
            listening.stop = stop;
            refetch('admitted');
          },
          (error: unknown) => stream.fail(error),
        );
      };

      await fetchListenFetch({
        fetch: () => fetchTicket(token, context),
        channelOf: (first): Following | null => (first.status === 'EXPIRED' ? null : { scheduleId: first.scheduleId, status: first.status }),
        listen: (following, onEach) => {
          listening.to = following.status;
          return follow(following, onEach);
        },
        onListening: (stop) => (listening.stop = stop),
        begin: publish,
        onMessage,
      });
      return stream;
    },
  };
}
