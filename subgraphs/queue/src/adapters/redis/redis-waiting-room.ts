import { z } from 'zod';
import type { Redis } from '@ticketing/platform';
import type { AdmissionTick, WaitingRoom } from '../../application/ports';
import type { LineState, StoredTicket } from '../../domain/queue-ticket';
import { ADMIT, APPLY_POLICY, APPLY_SALE_WINDOW, COUNTS, DRAW, ENTER, FORGET_IF_IDLE, READ, READ_TICKET, RESTORE, RETIRE } from './waiting-room.scripts';

/*
 * Every key of a schedule's waiting room carries the schedule id as a Redis Cluster hash tag,
 * so each script stays within one slot; REDIS_KEY_PREFIX is added by the client. The live set
 * is the one key shared by all schedules, and no script touches it together with another key.
 */
export const waitingRoomKeys = (scheduleId: string) => {
  const base = `q:{${scheduleId}}:`;
  return {
    /** hash userId → ticketId: the one live ticket per fan. */
    users: `${base}users`,
    /** zset ticketId by arrival (ms): waiting for the opening draw. */
    pre: `${base}pre`,
    /** zset ticketId by queue number: waiting in line. */
    line: `${base}line`,
    /** zset ticketId by expiresAt (ms): admitted. */
    active: `${base}active`,
    /** Last queue number handed out. */
    seq: `${base}seq`,
    /** Highest queue number admitted (nowServing). */
    served: `${base}served`,
    /** Tickets admitted so far. */
    admitted: `${base}admitted`,
    /** hash tokens, at: the admission token bucket. */
    bucket: `${base}bucket`,
    /** Set once the opening draw is complete: from then on arrivals take numbers in order. */
    opened: `${base}opened`,
    /**
     * hash opensAt (ms), salesClosed (1|0), catalogVersion: the schedule's sale as the concert
     * subgraph publishes it (catalogVersion: the stream version last applied); before its events
     * arrive, opensAt from an arrival's read of the catalog.
     */
    meta: `${base}meta`,
    /** hash admitsPerSecond, maxActive, paused, version: the stored policy's working copy. */
    policy: `${base}policy`,
    /** list "ms:count" of recent admissions, newest first: the observed rate. */
    history: `${base}history`,
    /** The rate the last admission step reported (ETAs). */
    rate: `${base}rate`,
    /**
     * Set once the concert subgraph has frozen the schedule's prices (and only then): ADMIT admits
     * nobody without it, so no fan is let in while a price may still change.
     */
    pricesFrozen: `${base}pricesFrozen`,
    /** Base of the per-ticket hashes: userId, scheduleId, status, queueNumber, expiresAt, createdAt. */
    ticketBase: `${base}t:`,
  };
};
export const ticketKey = (scheduleId: string, ticketId: string) => `${waitingRoomKeys(scheduleId).ticketBase}${ticketId}`;
/** zset scheduleId by last arrival (ms): the schedules the admission workers tick. */
export const LIVE_SCHEDULES_KEY = 'q:live';

/** Window of the observed admission rate. */
const RATE_WINDOW_MS = 10_000;
/** Expired tickets stay readable (EXPIRED rather than unknown) this long. */
const EXPIRED_RETENTION_SECONDS = 24 * 60 * 60;
const PRE_QUEUE_PAGE = 10_000;

type ScriptArg = string | number;
interface WaitingRoomCommands {
  queueEnter(...args: ScriptArg[]): Promise<unknown>;
  queueRead(...args: ScriptArg[]): Promise<unknown>;
  queueReadTicket(...args: ScriptArg[]): Promise<unknown>;
  queueCounts(...args: ScriptArg[]): Promise<unknown>;
  queueAdmit(...args: ScriptArg[]): Promise<unknown>;
  queueDraw(...args: ScriptArg[]): Promise<unknown>;
  queueApplyPolicy(...args: ScriptArg[]): Promise<unknown>;
  queueForgetIfIdle(...args: ScriptArg[]): Promise<unknown>;
  queueRetire(...args: ScriptArg[]): Promise<unknown>;
  queueApplySaleWindow(...args: ScriptArg[]): Promise<unknown>;
  queueRestore(...args: ScriptArg[]): Promise<unknown>;
}

/*
 * Script replies, parsed like any other payload crossing a boundary. Redis turns Lua numbers
 * into integers and `false` into nil, so optional fields arrive as null.
 */
const optional = z.string().nullable();
const ticketFields = z.tuple([z.string(), z.string(), z.enum(['WAITING', 'ACTIVE', 'EXPIRED']), optional, optional, z.string()]);
const lineFields = z.tuple([z.string(), optional, optional, optional, z.number(), optional]);
const enterReply = z.union([z.tuple([z.string(), z.number(), z.number(), ticketFields, lineFields]), z.tuple([z.literal('SALES_CLOSED'), z.number()])]);
const readReply = z.union([z.tuple([z.number()]), z.tuple([z.number(), ticketFields, lineFields])]);
const readTicketReply = z.union([z.tuple([z.number()]), z.tuple([z.number(), ticketFields])]);
const countsReply = z.tuple([z.number(), z.number(), z.number(), z.number(), optional]);
const admitReply = z.tuple([
  z.number(),
  z.number(),
  z.string(),
  z.number(),
  z.number(),
  optional,
  z.number(),
  z.number(),
  z.number(),
  z.array(z.union([z.string(), z.number()])),
  z.array(z.string()),
  z.number(),
]);
/** `{ id, number, id, number, ... }`: the queue numbers a step gave. */
const numberPairs = z.array(z.union([z.string(), z.number()]));
const drawReply = z.tuple([z.number(), numberPairs]);
const restoreReply = z.tuple([z.number(), z.number(), numberPairs]);

function toNumbered(pairs: z.infer<typeof numberPairs>): Array<{ ticketId: string; queueNumber: number }> {
  const numbered: Array<{ ticketId: string; queueNumber: number }> = [];
  for (let i = 0; i < pairs.length; i += 2) numbered.push({ ticketId: String(pairs[i]), queueNumber: Number(pairs[i + 1]) });
  return numbered;
}

/** A ticket's restore arguments, in RESTORE's order ('' for none). */
const msOrEmpty = (date: Date | null) => (date ? date.getTime() : '');

const retireReply = z.union([
  z.tuple([z.enum(['RETIRED', 'ALREADY_RETIRED']), z.string(), z.string()]),
  z.tuple([z.enum(['UNKNOWN', 'OTHER_USER', 'NOT_ACTIVE'])]),
]);

const numberOrNull = (value: string | null) => (value === null || value === '' ? null : Number(value));
const dateOrNull = (value: string | null) => {
  const ms = numberOrNull(value);
  return ms === null ? null : new Date(ms);
};

function toTicket(ticketId: string, [userId, scheduleId, status, queueNumber, expiresAt, createdAt]: z.infer<typeof ticketFields>): StoredTicket {
  return {
    ticketId,
    userId,
    scheduleId,
    status,
    queueNumber: numberOrNull(queueNumber),
    expiresAt: dateOrNull(expiresAt),
    createdAt: new Date(Number(createdAt)),
  };
}

export function createRedisWaitingRoom(redis: Redis, options: { defaultAdmitsPerSecond: number }): WaitingRoom {
  const define = (name: keyof WaitingRoomCommands, numberOfKeys: number, lua: string) => {
    // ioredis prefixes exactly the first `numberOfKeys` arguments: keys, never ids or times.
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  };
  define('queueEnter', 10, ENTER);
  define('queueRead', 6, READ);
  define('queueReadTicket', 1, READ_TICKET);
  define('queueCounts', 5, COUNTS);
  define('queueAdmit', 13, ADMIT);
  define('queueDraw', 6, DRAW);
  define('queueApplyPolicy', 1, APPLY_POLICY);
  define('queueForgetIfIdle', 1, FORGET_IF_IDLE);
  define('queueRetire', 2, RETIRE);
  define('queueApplySaleWindow', 1, APPLY_SALE_WINDOW);
  define('queueRestore', 9, RESTORE);
  const commands = redis as unknown as WaitingRoomCommands;

  const toLine = ([served, rate, policyRate, paused, opened, opensAt]: z.infer<typeof lineFields>): LineState => ({
    nowServing: Number(served),
    admitsPerSecond: numberOrNull(rate) ?? numberOrNull(policyRate) ?? options.defaultAdmitsPerSecond,
    paused: paused === '1',
    opened: opened === 1,
    opensAt: dateOrNull(opensAt),
  });

  const lineKeys = (scheduleId: string) => {
    const k = waitingRoomKeys(scheduleId);
    return [k.served, k.rate, k.policy, k.opened, k.meta];
  };

  return {
    async enter({ scheduleId, userId, newTicketId, opensAt }) {
      const k = waitingRoomKeys(scheduleId);
      const reply = enterReply.parse(
        await commands.queueEnter(
          k.users,
          k.pre,
          k.line,
          k.seq,
          k.opened,
          k.meta,
          k.served,
          k.rate,
          k.policy,
          k.ticketBase,
          userId,
          newTicketId,
          scheduleId,
          opensAt.getTime(),
        ),
      );
      if (reply.length === 2) return { kind: 'SalesClosed' };
      const [ticketId, created, now, ticket, line] = reply;
      // After the ticket exists: a worker that forgets the schedule in between sees this arrival.
      await redis.zadd(LIVE_SCHEDULES_KEY, now, scheduleId);
      return { kind: 'Entered', ticket: toTicket(ticketId, ticket), line: toLine(line), now: new Date(now), created: created === 1 };
    },

    async applySaleWindow({ scheduleId, version, opensAt, salesClosed }) {
      const applied = await commands.queueApplySaleWindow(
        waitingRoomKeys(scheduleId).meta,
        version,
        opensAt ? opensAt.getTime() : '',
        salesClosed === undefined ? '' : salesClosed ? '1' : '0',
      );
      return applied === 1;
    },

    async read(scheduleId, ticketId) {
      const reply = readReply.parse(await commands.queueRead(ticketKey(scheduleId, ticketId), ...lineKeys(scheduleId)));
      if (reply.length === 1) return null;
      const [now, ticket, line] = reply;
      return { ticket: toTicket(ticketId, ticket), line: toLine(line), now: new Date(now) };
    },

    async readTicket(scheduleId, ticketId) {
      const reply = readTicketReply.parse(await commands.queueReadTicket(ticketKey(scheduleId, ticketId)));
      if (reply.length === 1) return null;
      const [now, ticket] = reply;
      return { ticket: toTicket(ticketId, ticket), now: new Date(now) };
    },

    async ownerOf(scheduleId, ticketId) {
      return redis.hget(ticketKey(scheduleId, ticketId), 'userId');
    },

    async counts(scheduleId) {
      const k = waitingRoomKeys(scheduleId);
      const [waiting, preQueue, active, admitted, rate] = countsReply.parse(
        await commands.queueCounts(k.line, k.pre, k.active, k.admitted, k.rate),
      );
      return { waiting, preQueue, active, admitted, admitsPerSecond: numberOrNull(rate) };
    },

    async liveSchedules() {
      return redis.zrange(LIVE_SCHEDULES_KEY, 0, -1);
    },

    async forgetIfIdleSince(scheduleId, idleSince) {
      await commands.queueForgetIfIdle(LIVE_SCHEDULES_KEY, scheduleId, idleSince.getTime());
    },

    async admit(scheduleId, settings): Promise<AdmissionTick> {
      const k = waitingRoomKeys(scheduleId);
      const [now, served, rate, paused, opened, opensAt, waiting, active, preQueue, admitted, expired, awaitingPriceFreeze] = admitReply.parse(
        await commands.queueAdmit(
          k.line,
          k.active,
          k.served,
          k.admitted,
          k.bucket,
          k.policy,
          k.history,
          k.rate,
          k.opened,
          k.meta,
          k.pre,
          k.ticketBase,
          k.pricesFrozen,
          settings.defaults.admitsPerSecond,
          settings.defaults.maxActive,
          settings.activeTtlSeconds,
          RATE_WINDOW_MS,
          EXPIRED_RETENTION_SECONDS,
        ),
      );
      const expiresAt = new Date(now + settings.activeTtlSeconds * 1000);
      const admittedTickets: AdmissionTick['admitted'] = [];
      for (let i = 0; i < admitted.length; i += 2) {
        admittedTickets.push({ ticketId: String(admitted[i]), queueNumber: Number(admitted[i + 1]), expiresAt });
      }
      return {
        scheduleId,
        now: new Date(now),
        nowServing: served,
        admitsPerSecond: Number(rate),
        paused: paused === 1,
        opened: opened === 1,
        opensAt: dateOrNull(opensAt),
        waiting,
        preQueue,
        active,
        admitted: admittedTickets,
        expired,
        awaitingPriceFreeze: awaitingPriceFreeze === 1,
      };
    },

    async markPricesFrozen(scheduleId) {
      await redis.set(waitingRoomKeys(scheduleId).pricesFrozen, '1');
    },

    async preQueue(scheduleId) {
      const key = waitingRoomKeys(scheduleId).pre;
      const ids: string[] = [];
      for (let start = 0; ; start += PRE_QUEUE_PAGE) {
        const page = await redis.zrange(key, start, start + PRE_QUEUE_PAGE - 1);
        ids.push(...page);
        if (page.length < PRE_QUEUE_PAGE) break;
      }
      // Pages can overlap while others draw at the same time; duplicates would only be skipped.
      return [...new Set(ids)];
    },

    async draw(scheduleId, ticketIds) {
      const k = waitingRoomKeys(scheduleId);
      const [opened, numbered] = drawReply.parse(await commands.queueDraw(k.pre, k.line, k.seq, k.opened, k.meta, k.ticketBase, ...ticketIds));
      return opened === -1 ? { kind: 'NotDue' } : { kind: 'Drawn', numbered: toNumbered(numbered), opened: opened === 1 };
    },

    async restore(scheduleId, tickets, record) {
      const k = waitingRoomKeys(scheduleId);
      const args: ScriptArg[] = [EXPIRED_RETENTION_SECONDS, record.admittedTotal, record.highestNumber];
      for (const t of tickets) {
        args.push(t.ticketId, t.userId, scheduleId, t.enteredAt.getTime(), t.queueNumber ?? '', msOrEmpty(t.admittedAt), msOrEmpty(t.expiresAt), msOrEmpty(t.retiredAt));
      }
      const [restored, repaired, numbered] = restoreReply.parse(
        await commands.queueRestore(k.users, k.pre, k.line, k.active, k.seq, k.served, k.admitted, k.opened, k.ticketBase, ...args),
      );
      // After the tickets exist, as enter() does: the admission workers tick the schedule again.
      if (tickets.length > 0) await redis.zadd(LIVE_SCHEDULES_KEY, Date.now(), scheduleId);
      return { restored, repaired, numbered: toNumbered(numbered) };
    },

    async restoreOpensAt(scheduleId, opensAt) {
      // Only where the catalog's events have not set it: theirs is newer than any read.
      await redis.hsetnx(waitingRoomKeys(scheduleId).meta, 'opensAt', opensAt.getTime());
    },

    async retire({ scheduleId, ticketId, userId }) {
      const reply = retireReply.parse(
        await commands.queueRetire(waitingRoomKeys(scheduleId).active, ticketKey(scheduleId, ticketId), ticketId, userId, EXPIRED_RETENTION_SECONDS),
      );
      if (reply.length === 1) return { kind: 'NotRetired', reason: reply[0] };
      const [outcome, queueNumber, retiredAt] = reply;
      return { kind: 'Retired', queueNumber: Number(queueNumber), retiredAt: new Date(Number(retiredAt)), alreadyRetired: outcome === 'ALREADY_RETIRED' };
    },

    async applyPolicy(policy) {
      await commands.queueApplyPolicy(
        waitingRoomKeys(policy.scheduleId).policy,
        policy.admitsPerSecond,
        policy.maxActive,
        policy.paused ? 1 : 0,
        policy.updatedAt?.getTime() ?? 0,
      );
    },
  };
}
