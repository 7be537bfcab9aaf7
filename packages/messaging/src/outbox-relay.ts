import type { Span } from '@opentelemetry/api';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { inTransaction, type Logger } from '@ticketing/platform';
import type { MessageBus, OutgoingMessage } from './kafka-bus';
import { endSpan, startPublishSpan } from './message-tracing';

export interface OutboxRelayOptions {
  /** The service's own database: the outbox is written in the same transactions as its state. */
  pool: Pool;
  bus: MessageBus;
  /** Topic for an aggregate type (contracts' `topicFor` in services; unique names in tests). */
  topicFor: (aggregateType: string) => string;
  batchSize?: number;
  /** Pause after a round that published some rows but not a full batch; a full batch goes again at once. */
  intervalMs?: number;
  /**
   * Pause after a round that found nothing: the fallback for a write nobody nudged (another
   * instance's, a script's). Writers nudge after commit, so an idle relay waits to be woken
   * instead of querying PostgreSQL several times a second (issue 10).
   */
  idleIntervalMs?: number;
  /** How long a connection keeps its plan of the claim before planning it again (see beginAndClaim). */
  replanAfterMs?: number;
  logger: Logger;
}

export interface OutboxRelay {
  start: () => void;
  /** Lets the current round finish (publish + commit), then stops. */
  stop: () => Promise<void>;
  /** One round, for tests and for a caller that wants to flush now. Returns rows published. */
  runOnce: () => Promise<number>;
  /**
   * Ends the current pause: called after a commit that wrote outbox rows, so an event leaves
   * within milliseconds instead of waiting out the interval. A nudge during a round runs one more
   * round at once (that round's read may predate the commit). Other instances fall back to polling.
   */
  nudge: () => void;
}

interface OutboxRow {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  /** The envelope as JSON text (payload::text), published byte-for-byte as the Kafka value. */
  payload: string;
  headers: unknown;
}

/** SQLSTATEs of EXECUTE without its PREPARE (invalid_sql_statement_name) and of a second PREPARE (duplicate_prepared_statement). */
const UNKNOWN_PREPARED_STATEMENT = '26000';
const DUPLICATE_PREPARED_STATEMENT = '42P05';

/** When each connection planned the claims it holds, by name: every relay on a pool shares what its connections hold. */
const preparedClaims = new WeakMap<PoolClient, Map<string, number>>();
function preparedOn(client: PoolClient): Map<string, number> {
  let planned = preparedClaims.get(client);
  if (!planned) preparedClaims.set(client, (planned = new Map()));
  return planned;
}

/** `headers` is JSONB written by services; only string values become Kafka headers. */
function stringHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, value] of Object.entries(raw)) if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/**
 * Publishes outbox rows to Kafka and stamps them published, so state changes and their events
 * never diverge (services write the outbox only through `appendToOutbox`, inside their own
 * transaction; this relay is the only code that talks to Kafka about them).
 *
 * Delivery is at-least-once: a crash (or a failed commit) after the publish and before the
 * UPDATE commits leaves the rows unpublished, and the next round sends them again. Consumers
 * dedupe by eventId (inbox). Several relays may run at once (one per instance): `FOR UPDATE
 * SKIP LOCKED` gives each row to one relay per round, and no row is skipped for good because
 * a locked row is simply picked up by a later round once its holder commits or rolls back.
 */
export function createOutboxRelay({ pool, bus, topicFor, batchSize = 100, intervalMs = 200, idleIntervalMs = 5_000, replanAfterMs = 10_000, logger }: OutboxRelayOptions): OutboxRelay {
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** A nudge came while no pause was waiting for it: the next pause is skipped. */
  let nudgedDuringRound = false;

  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error(`outbox relay batch size must be a positive integer, not ${batchSize}`);

  /**
   * The claim, for BEGIN's simple query. `position` (BIGSERIAL) is the write order. SKIP LOCKED
   * alone would let a second relay publish an aggregate's later event while the first still
   * holds its earlier one, breaking per-key order. So every claimed row that has an older
   * unpublished row of the same aggregate outside this batch is held back (still locked, not
   * published): its holder publishes first, a later round sends ours. One statement, one
   * snapshot: an older row of an aggregate always committed before its newer ones (writers of
   * one aggregate are serialised by its version check), so a snapshot that sees ours sees it.
   * The rows to send are stamped published by the same statement (issue 10: the stamp was a
   * statement of its own, after Kafka answered): the stamp commits only once Kafka acknowledged
   * them, and a failed publish rolls it back. A round is two round trips, this and COMMIT.
   */
  const CLAIM = `
    WITH claimed AS (
       SELECT id, aggregate_type, aggregate_id, event_type, payload, headers, position
         FROM outbox
        WHERE published_at IS NULL
        ORDER BY position
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED),
     sendable AS (
       SELECT c.* FROM claimed c
        WHERE NOT EXISTS (SELECT 1 FROM outbox e
                           WHERE e.published_at IS NULL
                             AND e.position < c.position
                             AND e.aggregate_type = c.aggregate_type
                             AND e.aggregate_id = c.aggregate_id
                             AND e.id NOT IN (SELECT id FROM claimed))),
     stamped AS (
       UPDATE outbox SET published_at = now() FROM sendable WHERE outbox.id = sendable.id)
    SELECT s.id, s.aggregate_type, s.aggregate_id, s.event_type, s.payload::text AS payload, s.headers
      FROM sendable s
     ORDER BY s.position`;

  /**
   * BEGIN and the claim in one round trip: a simple query, so the claim takes no parameters (its
   * one number is written into the text). A simple query is planned every time it runs, and this
   * one's plan cost about as much as its run (pg_stat_statements: 0.19 ms of planning a round), so
   * the claim is a prepared statement of the connection (PREPARE on its first round there, EXECUTE
   * after): without parameters its plan is made once and kept. A session's prepared statement
   * outlives its transactions, rolled back ones too.
   *
   * A kept plan does not follow the table's growth: one made while the outbox was small (a new
   * database) scans it whole, and only an ANALYZE would replace it. So a connection plans the claim
   * again once its plan is `replanAfterMs` old (DEALLOCATE and PREPARE in the same opening).
   */
  const claimStatement = `outbox_relay_claim_${batchSize}`;
  const beginAndClaim = (client: PoolClient) => {
    const plannedAt = preparedOn(client).get(claimStatement);
    if (plannedAt !== undefined && Date.now() - plannedAt < replanAfterMs) return `BEGIN; EXECUTE ${claimStatement}`;
    const forget = plannedAt === undefined ? '' : ` DEALLOCATE ${claimStatement};`;
    return `BEGIN;${forget} PREPARE ${claimStatement} AS ${CLAIM}; EXECUTE ${claimStatement}`;
  };

  function runOnce(): Promise<number> {
    let on: PoolClient | undefined;
    // The simple query answers a result per statement: the claim's is the last.
    return inTransaction(
      pool,
      async (client, begun) => {
        if (begun.length > 2) preparedOn(client).set(claimStatement, Date.now());
        const rows = (begun.at(-1) as QueryResult<OutboxRow>).rows;
        if (rows.length === 0) return 0;
        const byTopic = new Map<string, OutgoingMessage[]>();
        const spans: Span[] = [];
        for (const row of rows) {
          const topic = topicFor(row.aggregate_type);
          const messages = byTopic.get(topic) ?? [];
          // Each row's send continues the trace of the request or handler that wrote it.
          const { span, message } = startPublishSpan(topic, { key: row.aggregate_id, value: row.payload, headers: { ...stringHeaders(row.headers), 'event-type': row.event_type } });
          spans.push(span);
          messages.push(message);
          byTopic.set(topic, messages);
        }
        // Rows stay locked (their stamp uncommitted) while Kafka acknowledges; if this throws we roll back and retry later.
        try {
          await bus.publishBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
        } catch (error) {
          for (const span of spans) endSpan(span, error);
          throw error;
        }
        for (const span of spans) endSpan(span);
        return rows.length;
      },
      (client) => {
        on = client;
        return beginAndClaim(client);
      },
    ).catch((error: unknown) => {
      // What PostgreSQL says of the connection's statement wins over what this relay believed.
      const code = (error as { code?: unknown }).code;
      if (on && code === UNKNOWN_PREPARED_STATEMENT) preparedOn(on).delete(claimStatement);
      if (on && code === DUPLICATE_PREPARED_STATEMENT) preparedOn(on).set(claimStatement, -Infinity); // there, of unknown age: plan it again
      throw error;
    });
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  async function run(): Promise<void> {
    while (running) {
      let published = 0;
      let failed = false;
      try {
        published = await runOnce();
        if (published > 0) logger.debug({ published }, 'outbox rows published');
      } catch (error) {
        failed = true;
        logger.error({ err: error }, 'outbox relay round failed; retrying');
      }
      // A full batch means more may be waiting, and a nudge during the round may be a row the
      // round's read missed: go again without sleeping. Otherwise wait long when nothing was there.
      const nudged = nudgedDuringRound;
      nudgedDuringRound = false;
      if (running && !nudged && published < batchSize) await pause(published > 0 || failed ? intervalMs : Math.max(intervalMs, idleIntervalMs));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
    },
    runOnce,
    nudge() {
      if (wake) wake();
      else nudgedDuringRound = true;
    },
  };
}
