import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { parseEvent, topicFor, type KnownEvent } from '@ticketing/contracts';
import { createDeadLetters, createKafkaBus, type IncomingMessage, type MessageBus } from '@ticketing/messaging';
import { createLogger } from '@ticketing/platform';
import { closeDatabases, errorCode, eventually, gql, sql, testSystem } from '@ticketing/test-support';
import { changeRole } from '../src/application/change-role.command';
import { createPgUserStore } from '../src/adapters/persistence/pg-user.store';
import { createEmailVault } from '../src/adapters/security/email-vault';

const SIGN_UP = 'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { user { id } } }';
const logger = createLogger('user-test', process.env['TEST_LOG_LEVEL'] ?? 'warn');

/** Signs up through the gateway under a request id of our own, which the events carry as their correlation id. */
async function signUpAs(email: string, name: string, requestId = `signup-${randomUUID()}`) {
  const response = await gql<{ signUp: { user: { id: string } } }>(
    SIGN_UP,
    { input: { email, password: 'long-enough-password', name } },
    { headers: { 'x-request-id': requestId } },
  );
  return { response, requestId };
}

/** The outbox rows a request wrote (by the correlation id it stamped), in write order. */
const outboxOfRequest = (requestId: string) =>
  sql<{ aggregate_id: string; event_type: string; payload: unknown; published_at: Date | null }>(
    'user',
    `SELECT aggregate_id, event_type, payload, published_at FROM outbox WHERE payload->>'correlationId' = $1 ORDER BY position`,
    [requestId],
  );

function parsed(value: unknown): KnownEvent {
  const result = parseEvent(value);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('the user subgraph publishes its accounts’ events on user.events', () => {
  let bus: MessageBus;
  const topic = () => topicFor('user', testSystem().env['KAFKA_TOPIC_PREFIX']);

  /** Every message on this run's user.events keyed by the account, once the relay has published its outbox rows. */
  async function messagesOf(userId: string): Promise<IncomingMessage[]> {
    await eventually(async () => {
      const [row] = await sql<{ unpublished: number }>('user', 'SELECT count(*)::int AS unpublished FROM outbox WHERE aggregate_id = $1 AND published_at IS NULL', [userId]);
      return row?.unpublished === 0;
    }, 30_000, 'the relay to publish the account’s events');
    return (await createDeadLetters({ bus, logger }).list(topic(), 100_000)).filter((message) => message.key === userId);
  }

  beforeAll(() => {
    bus = createKafkaBus({ brokers: (testSystem().env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'user-events-test', logger });
  });

  afterAll(async () => {
    await bus.close();
    await closeDatabases();
  });

  it('given a sign-up, then one UserRegistered arrives on user.events with no e-mail or name anywhere in the message', async () => {
    const email = `Kim.${randomUUID()}@Example.com`;
    const name = `Kim Fan ${randomUUID()}`;
    const { response, requestId } = await signUpAs(email, name);
    expect(response.errors).toBeUndefined();
    const userId = response.data!.signUp.user.id;

    const messages = await messagesOf(userId);

    expect(messages).toHaveLength(1);
    const [message] = messages;
    const event = parsed(message!.value);
    expect(event).toMatchObject({
      type: 'UserRegistered',
      stream: { type: 'user', id: userId },
      streamVersion: 0,
      correlationId: requestId,
      payload: { userId, role: 'USER', registeredAt: expect.any(String) },
    });
    const everything = JSON.stringify(message).toLowerCase();
    for (const personal of [email.toLowerCase(), email.toLowerCase().split('@')[0]!, name.toLowerCase(), 'example.com']) expect(everything).not.toContain(personal);
  });

  it('given an e-mail already taken, when signing up again, then the refused sign-up writes no event', async () => {
    const email = `taken.${randomUUID()}@example.com`;
    const first = await signUpAs(email, 'First');
    expect(first.response.errors).toBeUndefined();

    const second = await signUpAs(email.toUpperCase(), 'Second');

    expect(errorCode(second.response)).toBe('CONFLICT');
    expect(await outboxOfRequest(second.requestId)).toEqual([]);
    expect((await outboxOfRequest(first.requestId)).map((row) => row.event_type)).toEqual(['UserRegistered']);
  });

  it('RACE: 15 concurrent sign-ups with one e-mail create one account and exactly one UserRegistered', async () => {
    const email = `race.${randomUUID()}@example.com`;
    const attempts = await Promise.all(Array.from({ length: 15 }, (_, index) => signUpAs(email, `Racer ${index}`)));

    const winners = attempts.filter((attempt) => !attempt.response.errors);
    expect(winners).toHaveLength(1);
    expect(attempts.filter((attempt) => errorCode(attempt.response) === 'CONFLICT')).toHaveLength(14);
    const written = (await Promise.all(attempts.map((attempt) => outboxOfRequest(attempt.requestId)))).flat();
    expect(written.map((row) => [row.event_type, row.aggregate_id])).toEqual([['UserRegistered', winners[0]!.response.data!.signUp.user.id]]);
  });

  it('given a role change, then UserRoleChanged follows UserRegistered as version 1 of the account’s stream', async () => {
    const { response } = await signUpAs(`promoted.${randomUUID()}@example.com`, 'Promoted');
    const userId = response.data!.signUp.user.id;
    // Issue 11 exposes this as setUserRole; the command is the one path that changes a role.
    const pool = new Pool({ connectionString: testSystem().env['USER_DATABASE_URL'], max: 2 });
    try {
      const users = createPgUserStore(pool, createEmailVault(testSystem().env['DATA_ENCRYPTION_KEY']!));
      const command = changeRole({ users, newId: randomUUID, clock: () => new Date() });
      expect(await command(userId, 'ADMIN', { correlationId: 'role-test', causationId: null })).toEqual({ kind: 'RoleChanged', role: 'ADMIN' });
      expect(await command(userId, 'ADMIN', { correlationId: 'role-test', causationId: null })).toEqual({ kind: 'RoleUnchanged', role: 'ADMIN' });
    } finally {
      await pool.end();
    }

    // Published by the running user process's relay (it polls; nothing nudged it).
    const events = (await messagesOf(userId)).map((message) => parsed(message.value));
    expect(events.map((event) => [event.type, event.streamVersion, event.payload])).toEqual([
      ['UserRegistered', 0, expect.objectContaining({ userId, role: 'USER' })],
      ['UserRoleChanged', 1, { userId, previousRole: 'USER', role: 'ADMIN' }],
    ]);
    const [row] = await sql<{ role: string; version: number }>('user', 'SELECT role, version FROM users WHERE id = $1', [userId]);
    expect(row).toEqual({ role: 'ADMIN', version: 1 });
  });

  it('given the start-up admin seed, then the admin has its UserRegistered as ADMIN in the outbox', async () => {
    const rows = await sql<{ payload: unknown }>('user', `SELECT payload FROM outbox WHERE payload->>'correlationId' = 'admin-seed'`);
    expect(rows.map((row) => parsed(row.payload)).map((event) => [event.type, event.payload])).toEqual([
      ['UserRegistered', expect.objectContaining({ role: 'ADMIN' })],
    ]);
  });
});
