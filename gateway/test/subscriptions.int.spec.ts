import WebSocket from 'ws';
import { closeDatabases, errorCode, gql, logInAdmin, openSchedule, signUpFan } from '@ticketing/test-support';
import { closeClients, connect, nextOf, wsUrl } from './subscription-client';

const SUBSCRIBE = 'subscription Ticket($token: String!) { queueTicketUpdated(token: $token) { status position queueNumber expiresAt admissionPass } }';

afterAll(async () => {
  await closeClients();
  await closeDatabases();
});

describe('queueTicketUpdated over the gateway WebSocket', () => {
  it('pushes the waiting ticket at once and its admission when the queue moves, without polling', async () => {
    const scheduleId = await openSchedule();
    const admin = await logInAdmin();
    await gql('mutation($s: ID!) { pauseQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
    const fan = await signUpFan();
    const entered = await gql<{ enterQueue: { token: string } }>(
      'mutation($s: ID!) { enterQueue(scheduleId: $s) { token } }',
      { s: scheduleId },
      { token: fan.token },
    );
    const ticketToken = entered.data!.enterQueue.token;

    type Payload = { data?: { queueTicketUpdated: { status: string; position: number | null; expiresAt: string | null; admissionPass: string | null } } };
    const updates = connect(fan.token).iterate<Payload['data']>({ query: SUBSCRIBE, variables: { token: ticketToken } });
    const first = await nextOf(updates, 'initial ticket');
    expect(first.data?.queueTicketUpdated).toMatchObject({ status: 'WAITING', position: 1 });

    await gql('mutation($s: ID!) { resumeQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
    let latest = first;
    while (latest.data?.queueTicketUpdated.status === 'WAITING') latest = await nextOf(updates, 'admission');
    expect(latest.data?.queueTicketUpdated.status).toBe('ACTIVE');
    expect(Date.parse(latest.data!.queueTicketUpdated.expiresAt!)).toBeGreaterThan(Date.now());
    expect(first.data?.queueTicketUpdated.admissionPass).toBeNull();
    // The push announcing the admission may come before the queue signed its pass; the next brings it.
    while (!latest.data?.queueTicketUpdated.admissionPass) latest = await nextOf(updates, 'the admission pass');
    expect(latest.data.queueTicketUpdated).toMatchObject({ status: 'ACTIVE', admissionPass: expect.stringMatching(/^p1\./) });
    await updates.return?.();
  });

  it("refuses another fan's ticket with QUEUE_TOKEN_INVALID", async () => {
    const scheduleId = await openSchedule();
    const owner = await signUpFan();
    const other = await signUpFan();
    const entered = await gql<{ enterQueue: { token: string } }>(
      'mutation($s: ID!) { enterQueue(scheduleId: $s) { token } }',
      { s: scheduleId },
      { token: owner.token },
    );
    const updates = connect(other.token).iterate({ query: SUBSCRIBE, variables: { token: entered.data!.enterQueue.token } });
    const result = await nextOf(updates, 'refusal');
    expect(errorCode({ status: 200, errors: result.errors as never })).toBe('QUEUE_TOKEN_INVALID');
  });

  it('closes a connection whose token does not verify (4403)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer not-a-token' } })),
      );
      socket.on('close', (code) => resolve(code));
    });
    expect(closed).toBe(4403);
  });

  it('carries subscriptions only: a query over WebSocket is refused with a clear error', async () => {
    const fan = await signUpFan();
    const iterator = connect(fan.token).iterate({ query: '{ me { id } }' });
    await expect(iterator.next()).rejects.toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('HTTP POST') })]),
    );
  });
});
