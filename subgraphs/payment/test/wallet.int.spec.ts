import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { closeDatabases, errorCode, gql, logInAdmin, signUpFan, sql, testSystem, type SignedUpFan } from '@ticketing/test-support';

const CHARGE = `mutation Charge($amount: Int!, $idempotencyKey: String!) {
  chargeWallet(amount: $amount, idempotencyKey: $idempotencyKey) { balance }
}`;
const MY_WALLET = '{ me { id wallet { balance } } }';
const ENTITIES = `query Wallets($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id wallet { balance } } }
}`;

type ChargeData = { chargeWallet: { balance: number } };
type EntitiesData = { _entities: Array<{ id: string; wallet: { balance: number } } | null> };

const MAX_CHARGE = 10_000_000;
const MAX_BALANCE = 1_000_000_000;

const charge = (fan: SignedUpFan, amount: unknown, idempotencyKey: string = randomUUID()) =>
  gql<ChargeData>(CHARGE, { amount, idempotencyKey }, { token: fan.token });

/** Straight to the payment subgraph, as the gateway's entity fetch would be (or an attacker's). */
const entitiesOnPaymentSubgraph = (userIds: string[], token?: string) =>
  gql<EntitiesData>(
    ENTITIES,
    { representations: userIds.map((id) => ({ __typename: 'User', id })) },
    { url: `${testSystem().serviceUrls['payment']}/graphql`, ...(token ? { token } : {}) },
  );

async function walletOf(userId: string) {
  const [wallet] = await sql<{ balance: number }>('payment', 'SELECT balance FROM wallets WHERE user_id = $1', [userId]);
  const ledger = await sql<{ kind: string; amount: number; balance_after: number; reference: string }>(
    'payment',
    'SELECT kind, amount, balance_after, reference FROM ledger_entries WHERE user_id = $1 ORDER BY id',
    [userId],
  );
  const [keys] = await sql<{ count: number }>('payment', 'SELECT count(*)::int AS count FROM idempotency_keys WHERE user_id = $1', [userId]);
  return { balance: wallet?.balance ?? null, ledger, keys: keys?.count ?? 0 };
}

afterEach(async () => {
  // The ledger explains every balance: for every wallet, balance = SUM(amount) = last balance_after,
  // and no ledger entry exists without its wallet.
  const unbalanced = await sql(
    'payment',
    `SELECT w.user_id, w.balance, l.total, l.last_after
     FROM wallets w
     FULL JOIN (
       SELECT user_id, SUM(amount)::int AS total,
              (array_agg(balance_after ORDER BY id DESC))[1] AS last_after
       FROM ledger_entries GROUP BY user_id
     ) l USING (user_id)
     WHERE w.balance IS DISTINCT FROM l.total OR w.balance IS DISTINCT FROM l.last_after`,
  );
  expect(unbalanced).toEqual([]);
});

afterAll(closeDatabases);

describe('charging a wallet through the gateway', () => {
  it('starts at 0, charges, and shows the balance on me { wallet }', async () => {
    const fan = await signUpFan();
    const before = await gql<{ me: { wallet: { balance: number } } }>(MY_WALLET, {}, { token: fan.token });
    expect(before.data?.me.wallet).toEqual({ balance: 0 });

    const key = `first-charge:${randomUUID()}`;
    const charged = await charge(fan, 5_000, key);
    expect(charged.errors).toBeUndefined();
    expect(charged.data?.chargeWallet).toEqual({ balance: 5_000 });
    expect((await charge(fan, 2_500)).data?.chargeWallet).toEqual({ balance: 7_500 });

    const after = await gql<{ me: { id: string; wallet: { balance: number } } }>(MY_WALLET, {}, { token: fan.token });
    expect(after.data?.me).toEqual({ id: fan.id, wallet: { balance: 7_500 } });
    const stored = await walletOf(fan.id);
    expect(stored.balance).toBe(7_500);
    expect(stored.ledger[0]).toEqual({ kind: 'CHARGE', amount: 5_000, balance_after: 5_000, reference: `charge:${key}` });
  });

  it('RACE: 100 concurrent charges of 10 with distinct keys leave exactly 1000 and 100 ledger entries', async () => {
    const fan = await signUpFan();
    const responses = await Promise.all(Array.from({ length: 100 }, () => charge(fan, 10)));

    expect(responses.filter((r) => r.errors)).toEqual([]);
    // Each charge saw the one before it: the balances answered are exactly 10, 20, ..., 1000.
    const answered = responses.map((r) => r.data!.chargeWallet.balance).sort((a, b) => a - b);
    expect(answered).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 10));
    const stored = await walletOf(fan.id);
    expect(stored.balance).toBe(1_000);
    expect(stored.ledger).toHaveLength(100);
    expect(stored.ledger.reduce((sum, entry) => sum + entry.amount, 0)).toBe(1_000);
    expect(stored.keys).toBe(100);
  });

  it('RACE: 50 concurrent calls with ONE key charge once and all answer the same wallet', async () => {
    const fan = await signUpFan();
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 50 }, () => charge(fan, 10, key)));

    expect(responses.filter((r) => r.errors)).toEqual([]);
    expect(new Set(responses.map((r) => JSON.stringify(r.data)))).toEqual(new Set([JSON.stringify({ chargeWallet: { balance: 10 } })]));
    const stored = await walletOf(fan.id);
    expect(stored.balance).toBe(10);
    expect(stored.ledger).toHaveLength(1);
    expect(stored.keys).toBe(1);
  });

  it('answers a replayed key with the first answer, even after other charges, without charging again', async () => {
    const fan = await signUpFan();
    const first = randomUUID();
    expect((await charge(fan, 100, first)).data?.chargeWallet).toEqual({ balance: 100 });
    expect((await charge(fan, 50)).data?.chargeWallet).toEqual({ balance: 150 });

    const replay = await charge(fan, 100, first);
    expect(replay.errors).toBeUndefined();
    expect(replay.data?.chargeWallet).toEqual({ balance: 100 });
    const stored = await walletOf(fan.id);
    expect(stored.balance).toBe(150);
    expect(stored.ledger).toHaveLength(2);
  });

  describe('a key claimed by a transaction that is still open', () => {
    /** Plays the first of two concurrent calls by hand: claims the key and keeps its transaction open. */
    async function holdKey(userId: string, key: string, storedBalance: number) {
      const client = new Client({ connectionString: testSystem().env['PAYMENT_DATABASE_URL'] });
      await client.connect();
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO idempotency_keys (user_id, key, operation, request_fingerprint, response)
         VALUES ($1, $2, 'chargeWallet', 'amount=10', $3::jsonb)`,
        [userId, key, JSON.stringify({ balance: storedBalance })],
      );
      return client;
    }

    /** Resolves once the payment subgraph's claim of the key is blocked on the open transaction's row. */
    async function untilClaimWaitsOnLock(): Promise<void> {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
        const [row] = await sql<{ waiting: number }>(
          'payment',
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO idempotency_keys%'`,
        );
        if ((row?.waiting ?? 0) > 0) return;
      }
      throw new Error('the second call never waited on the claimed key');
    }

    it('makes a second call wait, then answer what the first committed without charging', async () => {
      const fan = await signUpFan();
      const key = randomUUID();
      const first = await holdKey(fan.id, key, 12_345);
      try {
        let settled = false;
        const second = charge(fan, 10, key).finally(() => (settled = true));
        await untilClaimWaitsOnLock();
        await sleep(200);
        expect(settled).toBe(false);

        await first.query('COMMIT');
        const response = await second;
        expect(response.data?.chargeWallet).toEqual({ balance: 12_345 });
        expect(await walletOf(fan.id)).toEqual({ balance: null, ledger: [], keys: 1 });
      } finally {
        await first.end();
      }
    });

    it('makes a second call wait, then charge itself if the first rolled back', async () => {
      const fan = await signUpFan();
      const key = randomUUID();
      const first = await holdKey(fan.id, key, 12_345);
      try {
        const second = charge(fan, 10, key);
        await untilClaimWaitsOnLock();

        await first.query('ROLLBACK');
        expect((await second).data?.chargeWallet).toEqual({ balance: 10 });
        expect(await walletOf(fan.id)).toMatchObject({ balance: 10, keys: 1 });
      } finally {
        await first.end();
      }
    });
  });

  it('scopes keys to their user: two users with the same key each get charged', async () => {
    const [a, b] = await Promise.all([signUpFan(), signUpFan()]);
    const key = 'shared-key';
    expect((await charge(a, 10, key)).data?.chargeWallet).toEqual({ balance: 10 });
    expect((await charge(b, 20, key)).data?.chargeWallet).toEqual({ balance: 20 });
  });

  it('answers the same key with a different amount with CONFLICT and changes nothing', async () => {
    const fan = await signUpFan();
    const key = randomUUID();
    await charge(fan, 100, key);
    const before = await walletOf(fan.id);

    const reused = await charge(fan, 200, key);
    expect(errorCode(reused)).toBe('CONFLICT');
    expect(reused.errors?.[0]?.extensions?.['field']).toBe('idempotencyKey');
    expect(reused.data).toBeNull();
    expect(await walletOf(fan.id)).toEqual(before);
  });

  it.each([
    ['zero', 0],
    ['a negative amount', -500],
    ['more than one charge may carry', MAX_CHARGE + 1],
    ['a fractional amount (variable)', 1.5],
    ['2^31, beyond GraphQL Int (variable)', 2 ** 31],
    ['1e12 (variable)', 1e12],
    ['a numeric string (variable)', '10'],
    ['null (variable)', null],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, amount) => {
    const fan = await signUpFan();
    const response = await charge(fan, amount);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.data ?? null).toBeNull();
    expect(await walletOf(fan.id)).toEqual({ balance: null, ledger: [], keys: 0 });
  });

  it.each(['1.5', '2147483648', '1e12'])('refuses the inline literal amount %s before any subgraph is called', async (literal) => {
    const fan = await signUpFan();
    const response = await gql(`mutation { chargeWallet(amount: ${literal}, idempotencyKey: "literal") { balance } }`, {}, { token: fan.token });
    expect(response.status).toBe(400);
    // Refused by the gateway's document validation; the shared error formatter reports it as bad input.
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(await walletOf(fan.id)).toEqual({ balance: null, ledger: [], keys: 0 });
  });

  it.each([
    ['an empty key', ''],
    ['a key over 100 characters', 'k'.repeat(101)],
    ['a key with spaces', 'my key'],
    ['a key with non-ASCII letters', 'clé-1'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, key) => {
    const fan = await signUpFan();
    const response = await charge(fan, 10, key);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.['field']).toBe('idempotencyKey');
    expect(await walletOf(fan.id)).toEqual({ balance: null, ledger: [], keys: 0 });
  });

  it('accepts a key of exactly 100 allowed characters', async () => {
    const fan = await signUpFan();
    const response = await charge(fan, 10, `Az09_-:.${'k'.repeat(92)}`);
    expect(response.data?.chargeWallet).toEqual({ balance: 10 });
  });

  it('RACE: 101 concurrent maximum charges fill the wallet to its limit exactly once; the rest are refused and leave no trace', async () => {
    const fan = await signUpFan();
    const keys = Array.from({ length: 101 }, () => randomUUID());
    const responses = await Promise.all(keys.map((key) => charge(fan, MAX_CHARGE, key)));

    const refused = responses.filter((r) => r.errors);
    expect(responses.filter((r) => !r.errors)).toHaveLength(100);
    expect(refused).toHaveLength(1);
    expect(errorCode(refused[0]!)).toBe('BAD_USER_INPUT');
    expect(refused[0]!.errors?.[0]?.extensions?.['reason']).toBe('BALANCE_LIMIT_EXCEEDED');
    const stored = await walletOf(fan.id);
    expect(stored.balance).toBe(MAX_BALANCE);
    expect(stored.ledger).toHaveLength(100);
    // The refused call's key was rolled back with everything else.
    expect(stored.keys).toBe(100);

    const oneMore = await charge(fan, 1);
    expect(errorCode(oneMore)).toBe('BAD_USER_INPUT');
    expect((await walletOf(fan.id)).ledger).toHaveLength(100);
    // A retry of a charge that did go through still answers as it did, limit or not.
    const winner = keys[responses.findIndex((r) => !r.errors)]!;
    expect((await charge(fan, MAX_CHARGE, winner)).errors).toBeUndefined();
  });
});

describe('who may see a wallet', () => {
  it('refuses a charge without a token with UNAUTHENTICATED', async () => {
    const response = await gql(CHARGE, { amount: 10, idempotencyKey: randomUUID() });
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.data).toBeNull();
  });

  it('refuses an entity fetch without a token with UNAUTHENTICATED, even on the subgraph port', async () => {
    const fan = await signUpFan();
    const response = await entitiesOnPaymentSubgraph([fan.id]);
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
    expect(response.data?._entities).toEqual([null]);
  });

  it("answers another user's wallet with FORBIDDEN, even when asked for on the subgraph port", async () => {
    const [owner, snoop] = await Promise.all([signUpFan(), signUpFan()]);
    await charge(owner, 777);
    const response = await entitiesOnPaymentSubgraph([owner.id], snoop.token);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.data?._entities).toEqual([null]);
    expect(JSON.stringify(response)).not.toContain('777');
  });

  it('lets the owner read their own wallet by reference', async () => {
    const fan = await signUpFan();
    await charge(fan, 300);
    const response = await entitiesOnPaymentSubgraph([fan.id], fan.token);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([{ id: fan.id, wallet: { balance: 300 } }]);
  });

  it("lets an admin read anyone's wallet, many in one request (0 for a user never charged)", async () => {
    const [a, b, never] = await Promise.all([signUpFan(), signUpFan(), signUpFan()]);
    await Promise.all([charge(a, 40), charge(b, 60)]);
    const admin = await logInAdmin();

    const response = await entitiesOnPaymentSubgraph([a.id, b.id, never.id, a.id], admin);
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([
      { id: a.id, wallet: { balance: 40 } },
      { id: b.id, wallet: { balance: 60 } },
      { id: never.id, wallet: { balance: 0 } },
      { id: a.id, wallet: { balance: 40 } },
    ]);
    const own = await gql<{ me: { wallet: { balance: number } } }>(MY_WALLET, {}, { token: admin });
    expect(own.data?.me.wallet).toEqual({ balance: 0 });
  });
});

describe('the ledger', () => {
  it('refuses UPDATE, DELETE and TRUNCATE: entries are only ever appended', async () => {
    const fan = await signUpFan();
    await charge(fan, 10);
    await expect(sql('payment', 'UPDATE ledger_entries SET amount = 1000 WHERE user_id = $1', [fan.id])).rejects.toThrow(/append-only/);
    await expect(sql('payment', 'DELETE FROM ledger_entries WHERE user_id = $1', [fan.id])).rejects.toThrow(/append-only/);
    await expect(sql('payment', 'TRUNCATE ledger_entries')).rejects.toThrow(/append-only/);
    expect((await walletOf(fan.id)).ledger).toEqual([{ kind: 'CHARGE', amount: 10, balance_after: 10, reference: expect.stringMatching(/^charge:/) }]);
  });

  it('refuses a negative balance and a second entry for the same fact, whatever the application does', async () => {
    const fan = await signUpFan();
    const key = randomUUID();
    await charge(fan, 10, key);
    await expect(sql('payment', 'UPDATE wallets SET balance = -1 WHERE user_id = $1', [fan.id])).rejects.toThrow(/wallets_balance_range/);
    await expect(
      sql('payment', "INSERT INTO ledger_entries (user_id, kind, amount, balance_after, reference) VALUES ($1, 'CHARGE', 10, 20, $2)", [
        fan.id,
        `charge:${key}`,
      ]),
    ).rejects.toThrow(/duplicate key/);
  });
});
