import { GraphQLError } from 'graphql';
import { queueProgressSchema, realtimeChannels, type QueueProgress } from '@ticketing/contracts';
import type { Logger } from '@ticketing/platform';
import { createPushIterator } from '../push-iterator';
import type { RedisFanout } from '../redis-fanout';
import type { RealtimeContext, SubscriptionSource } from '../subscription-server';
import type { ExecuteThroughGateway } from '../execute-through-gateway';
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
    const result = await deps.execute<{ queueTicket: QueueTicketView | null }>(TICKET_QUERY, { token }, context);
    const failure = result.errors?.[0];
    if (failure) throw new GraphQLError(failure.message, { extensions: failure.extensions ?? {} });
    if (!result.data?.queueTicket) throw new GraphQLError('Unknown queue ticket', { extensions: { code: 'QUEUE_TOKEN_INVALID' } });
    return result.data.queueTicket;
  };

  return {
    field: 'queueTicketUpdated',
    async subscribe(args, context) {
      const token = typeof args['token'] === 'string' ? args['token'] : '';
      let ticket: QueueTicketView | undefined;
      let expiryTimer: NodeJS.Timeout | undefined;
      let refetching = false;
      const pending: QueueProgress[] = [];
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
        if (!ticket) return void pending.push(progress);
        const step = advanceTicket(ticket, progress);
        if (step.kind === 'changed') publish(step.ticket);
        else if (step.kind === 'refetch') refetch();
      };

      // Fetch (authorizes, names the schedule), listen, then fetch again: a tick published between
      // the first fetch and the subscription is reflected in the second answer, so none is lost.
      const first = await fetchTicket(token, context);
      if (first.status === 'EXPIRED') {
        publish(first);
        return stream;
      }
      listening.stop = await deps.fanout.listen(realtimeChannels.queueProgress(deps.redisPrefix, first.scheduleId), (raw) => {
        const parsed = queueProgressSchema.safeParse(parseJson(raw));
        if (parsed.success) apply(parsed.data);
        else deps.logger.warn({ scheduleId: first.scheduleId }, 'malformed queue progress message ignored');
      });
      try {
        publish(await fetchTicket(token, context));
      } catch (error) {
        listening.stop?.();
        throw error;
      }
      for (const progress of pending.splice(0)) apply(progress);
      return stream;
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
