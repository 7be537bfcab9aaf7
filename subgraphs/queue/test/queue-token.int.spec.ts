import { randomUUID } from 'node:crypto';
import { admissionVerdictSchema } from '@ticketing/contracts';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, testSystem, type SignedUpFan } from '@ticketing/test-support';
import { issueQueueToken } from '../src/domain/queue-token';
import { waitingRoomKeys, ticketKey, LIVE_SCHEDULES_KEY } from '../src/adapters/redis/redis-waiting-room';
import {
  closeRedisClients,
  enter,
  env,
  eventually,
  openSchedule,
  QUEUE_TICKET,
  redisWithPrefix,
  setPolicy,
  sleep,
  startQueueProcess,
  ticketOf,
  verify,
  type ExtraQueueProcess,
  type Ticket,
} from './queue-test-kit';

/** The documented development default; the test processes run with it. */

let admin: string;
beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(async () => {
  closeRedisClients();
  await closeDatabases();
});

const tamper = (token: string) => `${token.slice(0, -5)}${token.slice(-5, -4) === 'A' ? 'B' : 'A'}${token.slice(-4)}`;
const ticketIdOf = (token: string) => token.split('.')[2]!;

async function activeTicket(fan: SignedUpFan, scheduleId: string, url?: string): Promise<Ticket> {
  const { token } = await enter(fan, scheduleId, url);
  return eventually(async () => {
    const ticket = await ticketOf(fan, token, url);
    return ticket.status === 'ACTIVE' ? ticket : undefined;
  }, 10_000, 'admission');
}

describe('queue tokens: only an ACTIVE ticket of the caller, for that schedule, admits', () => {
  let owner: SignedUpFan;
  let stranger: SignedUpFan;
  let scheduleId: string;
  let otherScheduleId: string;
  let active: Ticket;
  let waiting: Ticket;
  let waitingFan: SignedUpFan;

  beforeAll(async () => {
    [owner, stranger, waitingFan] = await Promise.all([signUpFan(), signUpFan(), signUpFan()]);
    [scheduleId, otherScheduleId] = await Promise.all([openSchedule(), openSchedule()]);
    active = await activeTicket(owner, scheduleId);
    const pausedSchedule = await openSchedule();
    await setPolicy(admin, pausedSchedule, { paused: true });
    waiting = await enter(waitingFan, pausedSchedule);
  });

  it('admits the owner with a valid verdict that the contract parses', async () => {
    const answer = await verify({ token: active.token, scheduleId }, { token: owner.token });
    expect(answer.status).toBe(200);
    expect(admissionVerdictSchema.parse(answer.body)).toEqual({ valid: true, ticketId: ticketIdOf(active.token), expiresAt: active.expiresAt });
    // Upper-case schedule ids name the same schedule.
    expect((await verify({ token: active.token, scheduleId: scheduleId.toUpperCase() }, { token: owner.token })).body['valid']).toBe(true);
    expect(await ticketOf(owner, active.token)).toMatchObject({ status: 'ACTIVE', position: null, estimatedWaitSeconds: null });
  });

  it.each([
    ['a forged MAC', () => tamper(active.token), 'FORGED'],
    ['a token moved to another schedule', () => active.token.replace(scheduleId, otherScheduleId), 'FORGED'],
    ['a token for a ticket that does not exist', () => issueQueueToken(testSystem().env['QUEUE_TOKEN_SECRET']!, { scheduleId, ticketId: randomUUID() }, owner.id), 'UNKNOWN'],
    ['a garbage string', () => 'let-me-in', 'FORGED'],
    ['a token-shaped string', () => `v1.${scheduleId}.${randomUUID()}.${'A'.repeat(43)}`, 'FORGED'],
    ['an empty string', () => '', 'FORGED'],
    ['a very long string', () => 'v1.'.repeat(1_000), 'FORGED'],
  ])('refuses %s: verify says why, GraphQL says QUEUE_TOKEN_INVALID', async (_case, token, reason) => {
    const answer = await verify({ token: token(), scheduleId }, { token: owner.token });
    expect(answer).toEqual({ status: 200, body: { valid: false, reason } });
    const read = await gql(QUEUE_TICKET, { token: token() }, { token: owner.token });
    expect(errorCode(read)).toBe('QUEUE_TOKEN_INVALID');
    expect(read.data?.queueTicket ?? null).toBeNull();
  });

  it("refuses another fan's token (it was shared) as OTHER_USER, and GraphQL with QUEUE_TOKEN_INVALID", async () => {
    expect((await verify({ token: active.token, scheduleId }, { token: stranger.token })).body).toEqual({ valid: false, reason: 'OTHER_USER' });
    expect(errorCode(await gql(QUEUE_TICKET, { token: active.token }, { token: stranger.token }))).toBe('QUEUE_TOKEN_INVALID');
  });

  it('refuses a genuine token for another schedule as OTHER_SCHEDULE', async () => {
    expect((await verify({ token: active.token, scheduleId: otherScheduleId }, { token: owner.token })).body).toEqual({
      valid: false,
      reason: 'OTHER_SCHEDULE',
    });
    expect((await verify({ token: active.token, scheduleId: 'not-a-schedule' }, { token: owner.token })).body).toEqual({
      valid: false,
      reason: 'OTHER_SCHEDULE',
    });
  });

  it('refuses a ticket still waiting as WAITING; reading it is fine and shows the place in line', async () => {
    expect((await verify({ token: waiting.token, scheduleId: waiting.scheduleId }, { token: waitingFan.token })).body).toEqual({
      valid: false,
      reason: 'WAITING',
    });
    expect(await ticketOf(waitingFan, waiting.token)).toMatchObject({ status: 'WAITING', position: 1, queueNumber: 1 });
  });

  it('answers 401 without a valid bearer token and 400 for a malformed body', async () => {
    expect((await verify({ token: active.token, scheduleId })).status).toBe(401);
    expect((await verify({ token: active.token, scheduleId }, { token: 'not-a-jwt' })).status).toBe(401);
    expect(errorCode(await gql(QUEUE_TICKET, { token: active.token }))).toBe('UNAUTHENTICATED');
    expect((await verify('{not json', { token: owner.token })).status).toBe(400);
    expect((await verify({ token: 42, scheduleId }, { token: owner.token })).status).toBe(400);
    expect((await verify({ scheduleId }, { token: owner.token })).status).toBe(400);
  });
});

describe('expiry: checked on every use against the clock, not by a sweep', () => {
  let shortLived: ExtraQueueProcess;
  const prefix = () => `${env()['REDIS_KEY_PREFIX']}ttl:`;

  beforeAll(async () => {
    // Its own Redis namespace, so only this process (TTL 2 s) admits the tickets below.
    shortLived = await startQueueProcess('queue-ttl', { QUEUE_ACTIVE_TTL_SECONDS: '2', REDIS_KEY_PREFIX: prefix() });
  });
  afterAll(() => shortLived?.stop());

  it('given an ACTIVE ticket, when its time is up, then it is EXPIRED at once, and entering again joins the back of the line', async () => {
    const fan = await signUpFan();
    const scheduleId = await openSchedule();
    const url = shortLived.graphqlUrl;
    const ticket = await activeTicket(fan, scheduleId, url);
    const expiresAt = Date.parse(ticket.expiresAt!);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(2_000);
    expect((await verify({ token: ticket.token, scheduleId }, { token: fan.token, queueUrl: url })).body['valid']).toBe(true);

    // Take the schedule out of the workers' reach: from here on, no tick touches this ticket.
    const redis = redisWithPrefix(prefix());
    await redis.zrem(LIVE_SCHEDULES_KEY, scheduleId);
    await sleep(Math.max(0, expiresAt - Date.now()) + 20);

    expect((await verify({ token: ticket.token, scheduleId }, { token: fan.token, queueUrl: url })).body).toEqual({
      valid: false,
      reason: 'EXPIRED',
    });
    expect(await ticketOf(fan, ticket.token, url)).toMatchObject({ status: 'EXPIRED', position: null, expiresAt: ticket.expiresAt });
    // Still ACTIVE as stored: the answer came from the clock, not from a sweep.
    expect(await redis.hget(ticketKey(scheduleId, ticketIdOf(ticket.token)), 'status')).toBe('ACTIVE');
    expect(await redis.zscore(waitingRoomKeys(scheduleId).active, ticketIdOf(ticket.token))).not.toBeNull();

    const again = await enter(fan, scheduleId, url);
    expect(again.token).not.toBe(ticket.token);
    expect(again).toMatchObject({ status: 'WAITING', queueNumber: 2 });
    // The arrival put the schedule back in the workers' set: the old ticket is swept, the new one admitted.
    const next = await eventually(async () => {
      const read = await ticketOf(fan, again.token, url);
      return read.status === 'ACTIVE' ? read : undefined;
    }, 10_000, 'the second admission');
    expect(next.queueNumber).toBe(2);
    expect(await redis.hget(ticketKey(scheduleId, ticketIdOf(ticket.token)), 'status')).toBe('EXPIRED');
    expect((await verify({ token: ticket.token, scheduleId }, { token: fan.token, queueUrl: url })).body).toEqual({
      valid: false,
      reason: 'EXPIRED',
    });
    redis.disconnect();
  });
});
