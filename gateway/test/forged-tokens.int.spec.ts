import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { closeDatabases, errorCode, gql, signUpFan, sql, testSystem } from '@ticketing/test-support';
import { connect } from './subscription-client';

/**
 * Tokens that carry a valid signature but should not open the door: no expiry, a lifetime past the
 * configured maximum, an account that does not exist, a role the account does not have.
 */
const sign = (claims: object, options: jwt.SignOptions) =>
  jwt.sign(claims, testSystem().env['JWT_SECRET']!, { algorithm: 'HS256', issuer: 'ticketing', audience: 'ticketing-api', ...options });

const WALLET = '{ me { id } }';
const walletOf = (token: string) => gql('query { me { id wallet { balance } } }', {}, { token });
const charge = (token: string) => gql('mutation { chargeWallet(amount: 1000, idempotencyKey: "forged-1") { balance } }', {}, { token });

afterAll(closeDatabases);

describe('forged and stale access tokens at the gateway', () => {
  it('given a token without exp, when used, then UNAUTHENTICATED (401)', async () => {
    const fan = await signUpFan();
    const response = await gql(WALLET, {}, { token: sign({ role: 'USER' }, { subject: fan.id }) });
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('given a token whose exp is a century away, when used, then UNAUTHENTICATED', async () => {
    const fan = await signUpFan();
    const response = await gql(WALLET, {}, { token: sign({ role: 'USER' }, { subject: fan.id, expiresIn: '36500d' }) });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('given a well-signed token for a user that does not exist, when charging a wallet, then UNAUTHENTICATED and no wallet is created', async () => {
    const ghost = randomUUID();
    const response = await charge(sign({ role: 'USER' }, { subject: ghost, expiresIn: 600 }));
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(await sql('payment', 'SELECT 1 FROM wallets WHERE user_id = $1', [ghost])).toHaveLength(0);
  });

  it('given a well-signed ADMIN token for a fan account, when used, then UNAUTHENTICATED: the role must be the account\'s', async () => {
    const fan = await signUpFan();
    const response = await gql(WALLET, {}, { token: sign({ role: 'ADMIN' }, { subject: fan.id, expiresIn: 600 }) });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('given the fan\'s own token, when used, then it works (the check refuses only what it should)', async () => {
    const fan = await signUpFan();
    expect((await charge(fan.token)).errors).toBeUndefined();
    const response = await walletOf(fan.token);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: { id: fan.id, wallet: { balance: 1000 } } });
  });

  it('given a token for a user that does not exist, when opening a WebSocket, then the connection is refused', async () => {
    const client = connect(sign({ role: 'USER' }, { subject: randomUUID(), expiresIn: 600 }));
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    const iterator = client.iterate({ query: 'subscription { seatsUpdated(scheduleId: "5c4ed000-0000-4000-8000-000000000011") { id } }' });
    await expect(iterator.next()).rejects.toBeDefined();
    expect(await closed).toBe(4403);
    await client.dispose();
  });
});
