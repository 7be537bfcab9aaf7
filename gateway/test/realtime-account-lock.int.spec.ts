import WebSocket from 'ws';
import {
  closeDatabases,
  eventually,
  gql,
  logInAdmin,
  openSchedule,
  signUpFan,
  startIsolatedSystem,
  stopIsolatedSystem,
  useTestSystem,
  type IsolatedSystem,
  type SignedUpFan,
} from '@ticketing/test-support';
import { metricsUrl, SERVICES } from '../../infra/services';

/*
 * Open WebSockets and locked accounts, on a system of this file's own (user, concert, queue and
 * the gateway) so that the gateway's socket and subscription gauges count only this file's
 * sockets. A socket checks its token when it connects; a lock announced later must close it at
 * once, not when the client next reconnects.
 */

const LOCK = 'mutation Lock($userId: ID!) { lockUser(userId: $userId, reason: "socket fence test") { locked } }';
const SUBSCRIBE = 'subscription Ticket($token: String!) { queueTicketUpdated(token: $token) { status } }';

let system: IsolatedSystem;
let admin: string;

beforeAll(async () => {
  system = await startIsolatedSystem({ label: 'wslock', services: ['user', 'concert', 'queue', 'gateway'] });
  useTestSystem(system);
  admin = await logInAdmin();
}, 180_000);

const sockets: WebSocket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await closeDatabases();
  if (system) await stopIsolatedSystem(system);
});

/** A raw graphql-transport-ws client: what it was sent, and how it closed. */
function openSocket(token: string) {
  const ws = new WebSocket(system.gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  sockets.push(ws);
  const frames: Array<{ type: string; id?: string; payload?: unknown }> = [];
  let onFrame = () => undefined as void;
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  ws.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString()) as { type: string });
    onFrame();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  /** Resolves with the first frame of this type, or with the close if the socket closes first. */
  const next = (type: string) =>
    new Promise<'frame' | 'closed'>((resolve) => {
      const check = () => {
        if (frames.some((frame) => frame.type === type)) resolve('frame');
      };
      onFrame = check;
      check();
      void closed.then(() => resolve('closed'));
    });
  return { ws, frames, closed, next };
}

async function subscribedFan(): Promise<{ fan: SignedUpFan; socket: ReturnType<typeof openSocket> }> {
  const fan = await signUpFan();
  const scheduleId = await openSchedule();
  // Paused: the ticket stays WAITING, so the subscription stays open until the socket closes.
  await gql('mutation($s: ID!) { pauseQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
  const entered = await gql<{ enterQueue: { token: string } }>('mutation($s: ID!) { enterQueue(scheduleId: $s) { token } }', { s: scheduleId }, { token: fan.token });
  if (!entered.data) throw new Error(`enterQueue failed: ${JSON.stringify(entered.errors)}`);
  const socket = openSocket(fan.token);
  expect(await socket.next('connection_ack')).toBe('frame');
  socket.ws.send(JSON.stringify({ id: 'ticket', type: 'subscribe', payload: { query: SUBSCRIBE, variables: { token: entered.data.enterQueue.token } } }));
  expect(await socket.next('next')).toBe('frame');
  return { fan, socket };
}

async function gauges() {
  const gateway = SERVICES.find((service) => service.name === 'gateway')!;
  const text = await (await fetch(metricsUrl(gateway, system.env))).text();
  const read = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    connections: read(/^graphql_ws_connections(?:\{[^}]*\})? (\d+)$/m),
    ticketSubscriptions: read(/^graphql_subscriptions_active\{[^}]*field="queueTicketUpdated"[^}]*\} (\d+)$/m),
  };
}

/** Opens a socket with the token and answers how the gateway treated it: acknowledged, or its close code. */
async function connectionOutcome(token: string): Promise<number | 'acked'> {
  const socket = openSocket(token);
  const outcome = await socket.next('connection_ack');
  if (outcome === 'frame') {
    socket.ws.close();
    return 'acked';
  }
  return (await socket.closed).code;
}

describe('a locked account’s open WebSockets', () => {
  it('given a fan following their queue ticket and another fan doing the same, when an admin locks the first, then only the first one’s socket closes with 4403, the gauges count it gone, and its old token cannot reconnect', async () => {
    const locked = await subscribedFan();
    const bystander = await subscribedFan();
    expect(await gauges()).toEqual({ connections: 2, ticketSubscriptions: 2 });

    expect((await gql(LOCK, { userId: locked.fan.id }, { token: admin })).errors).toBeUndefined();

    const closed = await locked.socket.closed;
    expect(closed).toEqual({ code: 4403, reason: 'This account is locked' });
    expect(await eventually(async () => {
      const now = await gauges();
      return now.connections === 1 && now.ticketSubscriptions === 1 ? now : undefined;
    }, 15_000, 'the gauges to drop the closed socket and its subscription')).toEqual({ connections: 1, ticketSubscriptions: 1 });
    expect(bystander.socket.ws.readyState).toBe(WebSocket.OPEN);

    expect(await connectionOutcome(locked.fan.token)).toBe(4403);
    expect(await connectionOutcome(bystander.fan.token)).toBe('acked');
  });

  it('given a fan with two sockets open, when the account is locked, then both close with 4403', async () => {
    const fan = await signUpFan();
    const first = openSocket(fan.token);
    const second = openSocket(fan.token);
    expect([await first.next('connection_ack'), await second.next('connection_ack')]).toEqual(['frame', 'frame']);

    await gql(LOCK, { userId: fan.id }, { token: admin });

    expect([(await first.closed).code, (await second.closed).code]).toEqual([4403, 4403]);
  });
});
