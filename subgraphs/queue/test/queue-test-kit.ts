import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { queueAdmissionVerifyUrl, queueProgressSchema, realtimeChannels, type QueueProgress } from '@ticketing/contracts';
import { createRedis, type Redis } from '@ticketing/platform';
import { freePort, gql, mapLimit, signUpFan, testSystem, type GraphQLResponse, type SignedUpFan } from '@ticketing/test-support';
import { ROOT, SERVICES, spawnService, stopProcess, waitUntilReady } from '../../../infra/services';

/** What the tests read of a QueueTicket. */
export interface Ticket {
  token: string;
  scheduleId: string;
  status: 'WAITING' | 'ACTIVE' | 'EXPIRED';
  position: number | null;
  estimatedWaitSeconds: number | null;
  expiresAt: string | null;
  queueNumber: number | null;
  nowServing: number;
  opensAt: string | null;
}
export interface Stats {
  scheduleId: string;
  waiting: number;
  preQueue: number;
  active: number;
  admitted: number;
  admitsPerSecond: number;
  maxActive: number;
  paused: boolean;
}

const TICKET_FIELDS = 'token scheduleId status position estimatedWaitSeconds expiresAt queueNumber nowServing opensAt';
export const ENTER_QUEUE = `mutation Enter($scheduleId: ID!) { enterQueue(scheduleId: $scheduleId) { ${TICKET_FIELDS} } }`;
export const QUEUE_TICKET = `query Ticket($token: String!) { queueTicket(token: $token) { ${TICKET_FIELDS} } }`;
export const QUEUE_STATS = `query Stats($scheduleId: ID!) {
  queueStats(scheduleId: $scheduleId) { scheduleId waiting preQueue active admitted admitsPerSecond maxActive paused }
}`;
export const SET_QUEUE_POLICY = `mutation SetPolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int, $paused: Boolean) {
  setQueuePolicy(scheduleId: $scheduleId, admitsPerSecond: $admitsPerSecond, maxActive: $maxActive, paused: $paused) { admitsPerSecond maxActive paused }
}`;
export const PAUSE_QUEUE = 'mutation Pause($scheduleId: ID!) { pauseQueue(scheduleId: $scheduleId) { paused } }';
export const RESUME_QUEUE = 'mutation Resume($scheduleId: ID!) { resumeQueue(scheduleId: $scheduleId) { paused } }';

export const env = () => testSystem().env;
export const redisUrl = () => process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { createSchedule, mapLimit, openSchedule } from '@ticketing/test-support';

export const signUpFans = (count: number) => mapLimit(Array.from({ length: count }), 50, () => signUpFan());

export function data<T>(response: GraphQLResponse<T>): T {
  if (!response.data || response.errors) throw new Error(`unexpected GraphQL answer: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export async function enter(fan: SignedUpFan, scheduleId: string, url?: string): Promise<Ticket> {
  return data(await gql<{ enterQueue: Ticket }>(ENTER_QUEUE, { scheduleId }, { token: fan.token, ...(url ? { url } : {}) })).enterQueue;
}

export async function ticketOf(fan: SignedUpFan, token: string, url?: string): Promise<Ticket> {
  const answer = data(await gql<{ queueTicket: Ticket | null }>(QUEUE_TICKET, { token }, { token: fan.token, ...(url ? { url } : {}) }));
  if (!answer.queueTicket) throw new Error('queueTicket answered null');
  return answer.queueTicket;
}

export async function statsOf(admin: string, scheduleId: string): Promise<Stats> {
  return data(await gql<{ queueStats: Stats }>(QUEUE_STATS, { scheduleId }, { token: admin })).queueStats;
}

export async function setPolicy(admin: string, scheduleId: string, settings: { admitsPerSecond?: number; maxActive?: number; paused?: boolean }) {
  return data(await gql(SET_QUEUE_POLICY, { scheduleId, ...settings }, { token: admin }));
}

export { eventually } from '@ticketing/test-support';

/** POST /internal/admission/verify on a queue process, as the booking subgraph will. */
export async function verify(body: unknown, options: { token?: string; queueUrl?: string } = {}) {
  const response = await fetch(queueAdmissionVerifyUrl(options.queueUrl ?? `${testSystem().serviceUrls['queue']}/graphql`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const clients: Redis[] = [];
/** Closes every Redis client the kit opened, even when a test failed half-way (afterAll). */
export function closeRedisClients(): void {
  for (const client of clients.splice(0)) client.disconnect();
}

/** Every progress message of a schedule from now on, parsed through the contract. */
export async function listenToProgress(scheduleId: string, prefix = env()['REDIS_KEY_PREFIX']!) {
  const subscriber = createRedis(redisUrl());
  clients.push(subscriber);
  const messages: QueueProgress[] = [];
  const malformed: string[] = [];
  subscriber.on('message', (_channel: string, raw: string) => {
    const parsed = queueProgressSchema.safeParse(JSON.parse(raw));
    if (parsed.success) messages.push(parsed.data);
    else malformed.push(raw);
  });
  await subscriber.subscribe(realtimeChannels.queueProgress(prefix, scheduleId));
  return { messages, malformed, close: () => subscriber.disconnect() };
}

export function redisWithPrefix(prefix = env()['REDIS_KEY_PREFIX']!): Redis {
  const client = createRedis(redisUrl(), prefix);
  clients.push(client);
  return client;
}


export interface ExtraQueueProcess {
  url: string;
  graphqlUrl: string;
  stop: () => Promise<void>;
}

/** Another queue process against this run's databases and Redis, with some settings changed. */
export async function startQueueProcess(label: string, overrides: Record<string, string> = {}): Promise<ExtraQueueProcess> {
  const queue = SERVICES.find((service) => service.name === 'queue')!;
  const port = await freePort();
  const logFile = path.join(ROOT, '.run', `test-${testSystem().runId}-${label}.log`);
  const child: ChildProcess = spawnService(queue, { ...process.env, ...env(), QUEUE_PORT: String(port), QUEUE_METRICS_PORT: '0', ...overrides }, logFile);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(child);
  try {
    await waitUntilReady(url, 60_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message} (log: ${logFile})`);
  }
  return { url, graphqlUrl: `${url}/graphql`, stop };
}
