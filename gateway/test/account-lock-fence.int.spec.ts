import WebSocket from 'ws';
import { errorCode, eventually, gql, logInAdmin, signUpFan } from '@ticketing/test-support';
import { wsUrl } from './subscription-client';

const LOCK = 'mutation Lock($userId: ID!) { lockUser(userId: $userId, reason: "fence test") { locked } }';
const UNLOCK = 'mutation Unlock($userId: ID!) { unlockUser(userId: $userId) { locked } }';
const me = (token: string) => gql<{ me: { id: string } | null }>('{ me { id } }', {}, { token });

/** Opens a graphql-ws socket with the token and resolves with its close code, or 'acked' once accepted. */
function connectionOutcome(token: string): Promise<number | 'acked'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type !== 'connection_ack') return;
      resolve('acked');
      socket.close();
    });
    socket.on('close', (code) => resolve(code));
  });
}

describe('the gateway refuses a locked account’s existing tokens at once (no waiting for ACCOUNT_CHECK_TTL_SECONDS)', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await logInAdmin();
  });

  it('given a fan whose account check the gateway has cached, when an admin locks them, then their next HTTP request is ACCOUNT_LOCKED (403) and their next socket closes 4403; unlocking lets both in again', async () => {
    const fan = await signUpFan();
    expect((await me(fan.token)).data?.me?.id).toBe(fan.id);
    expect(await connectionOutcome(fan.token)).toBe('acked');

    expect((await gql(LOCK, { userId: fan.id }, { token: admin })).errors).toBeUndefined();

    const refused = await me(fan.token);
    expect([refused.status, errorCode(refused)]).toEqual([403, 'ACCOUNT_LOCKED']);
    expect(await connectionOutcome(fan.token)).toBe(4403);

    expect((await gql(UNLOCK, { userId: fan.id }, { token: admin })).errors).toBeUndefined();

    // The unlock reaches the gateway and the user subgraph by the same announcement, each in its
    // own time: within moments, never the 60 s account-check TTL (a stale "locked" kept for the
    // TTL is what account-check.int.spec.ts pins down).
    await eventually(async () => (await me(fan.token)).data?.me?.id === fan.id, 5_000, 'the unlocked fan let in again');
    expect(await connectionOutcome(fan.token)).toBe('acked');
  });

  it('given several fans, when one is locked, then only that one is refused', async () => {
    const [locked, other] = await Promise.all([signUpFan(), signUpFan()]);
    await gql(LOCK, { userId: locked.id }, { token: admin });

    expect(errorCode(await me(locked.token))).toBe('ACCOUNT_LOCKED');
    expect((await me(other.token)).data?.me?.id).toBe(other.id);
  });
});
