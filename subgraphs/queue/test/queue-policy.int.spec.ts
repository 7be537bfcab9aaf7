import { randomUUID } from 'node:crypto';
import { closeDatabases, errorCode, gql, logInAdmin, openSchedule, signUpFan, sql } from '@ticketing/test-support';

const POLICY_FIELDS = 'scheduleId admitsPerSecond maxActive paused updatedAt';
const QUEUE_POLICY = `query Policy($scheduleId: ID!) { queuePolicy(scheduleId: $scheduleId) { ${POLICY_FIELDS} } }`;
const SET_QUEUE_POLICY = `mutation SetPolicy($scheduleId: ID!, $admitsPerSecond: Int, $maxActive: Int, $paused: Boolean) {
  setQueuePolicy(scheduleId: $scheduleId, admitsPerSecond: $admitsPerSecond, maxActive: $maxActive, paused: $paused) { ${POLICY_FIELDS} }
}`;

interface Policy {
  scheduleId: string;
  admitsPerSecond: number;
  maxActive: number;
  paused: boolean;
  updatedAt: string | null;
}
interface AuditRow extends Record<string, unknown> {
  action: string;
  actor: string;
  detail: { before: Record<string, unknown>; after: Record<string, unknown> };
}

const QUEUE_STATS = 'query Stats($scheduleId: ID!) { queueStats(scheduleId: $scheduleId) { scheduleId waiting active admitted paused maxActive } }';
const PAUSE_QUEUE = `mutation Pause($scheduleId: ID!) { pauseQueue(scheduleId: $scheduleId) { ${POLICY_FIELDS} } }`;
const RESUME_QUEUE = `mutation Resume($scheduleId: ID!) { resumeQueue(scheduleId: $scheduleId) { ${POLICY_FIELDS} } }`;

const userIdOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
const auditOf = (scheduleId: string) =>
  sql<AuditRow>('queue', 'SELECT action, actor, detail FROM admission_audit WHERE schedule_id = $1 ORDER BY at, id', [scheduleId]);
const storedPolicies = (scheduleId: string) => sql('queue', 'SELECT * FROM admission_policies WHERE schedule_id = $1', [scheduleId]);

let admin: string;
beforeAll(async () => {
  admin = await logInAdmin();
});
afterAll(closeDatabases);

describe('queue admission policy through the gateway', () => {
  it('answers a schedule without a policy with the deployment defaults', async () => {
    const scheduleId = randomUUID();
    const response = await gql<{ queuePolicy: Policy }>(QUEUE_POLICY, { scheduleId }, { token: admin });
    expect(response.errors).toBeUndefined();
    expect(response.data?.queuePolicy).toEqual({ scheduleId, admitsPerSecond: 50, maxActive: 1000, paused: false, updatedAt: null });
    expect(await storedPolicies(scheduleId)).toHaveLength(0);
  });

  it('changes only the given settings, stores them and audits each change with before and after', async () => {
    const scheduleId = await openSchedule();
    const first = await gql<{ setQueuePolicy: Policy }>(SET_QUEUE_POLICY, { scheduleId, admitsPerSecond: 200 }, { token: admin });
    expect(first.errors).toBeUndefined();
    expect(first.data?.setQueuePolicy).toMatchObject({ scheduleId, admitsPerSecond: 200, maxActive: 1000, paused: false });
    expect(Date.parse(first.data!.setQueuePolicy.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);

    const second = await gql<{ setQueuePolicy: Policy }>(SET_QUEUE_POLICY, { scheduleId, paused: true, maxActive: 5000 }, { token: admin });
    expect(second.data?.setQueuePolicy).toMatchObject({ admitsPerSecond: 200, maxActive: 5000, paused: true });

    const read = await gql<{ queuePolicy: Policy }>(QUEUE_POLICY, { scheduleId: scheduleId.toUpperCase() }, { token: admin });
    expect(read.data?.queuePolicy).toEqual(second.data?.setQueuePolicy);

    const adminId = userIdOf(admin);
    expect(await auditOf(scheduleId)).toEqual([
      {
        action: 'POLICY_CHANGED',
        actor: adminId,
        detail: {
          before: { admitsPerSecond: 50, maxActive: 1000, paused: false, source: 'defaults' },
          after: { admitsPerSecond: 200, maxActive: 1000, paused: false },
        },
      },
      {
        action: 'POLICY_CHANGED',
        actor: adminId,
        detail: {
          before: { admitsPerSecond: 200, maxActive: 1000, paused: false, source: 'stored' },
          after: { admitsPerSecond: 200, maxActive: 5000, paused: true },
        },
      },
    ]);
    const [stored] = await storedPolicies(scheduleId);
    expect(stored).toMatchObject({ admits_per_second: 200, max_active: 5000, paused: true, updated_by: adminId });
  });

  it('accepts the bounds themselves', async () => {
    const scheduleId = await openSchedule();
    const low = await gql<{ setQueuePolicy: Policy }>(SET_QUEUE_POLICY, { scheduleId, admitsPerSecond: 1, maxActive: 1 }, { token: admin });
    expect(low.data?.setQueuePolicy).toMatchObject({ admitsPerSecond: 1, maxActive: 1 });
    const high = await gql<{ setQueuePolicy: Policy }>(
      SET_QUEUE_POLICY,
      { scheduleId, admitsPerSecond: 10_000, maxActive: 1_000_000 },
      { token: admin },
    );
    expect(high.data?.setQueuePolicy).toMatchObject({ admitsPerSecond: 10_000, maxActive: 1_000_000 });
  });

  it.each([
    ['a rate of 0', { admitsPerSecond: 0 }, 'admitsPerSecond'],
    ['a rate above 10,000', { admitsPerSecond: 10_001 }, 'admitsPerSecond'],
    ['a negative cap', { maxActive: -5 }, 'maxActive'],
    ['a cap above 1,000,000', { maxActive: 1_000_001 }, 'maxActive'],
    ['a valid rate with an invalid cap', { admitsPerSecond: 100, maxActive: 0 }, 'maxActive'],
    ['no setting at all', {}, undefined],
    ['only nulls', { admitsPerSecond: null, maxActive: null, paused: null }, undefined],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_case, settings, field) => {
    const scheduleId = await openSchedule();
    const response = await gql(SET_QUEUE_POLICY, { scheduleId, ...settings }, { token: admin });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.['field']).toBe(field);
    expect(response.data).toBeNull();
    expect(await storedPolicies(scheduleId)).toHaveLength(0);
    expect(await auditOf(scheduleId)).toHaveLength(0);
  });

  it('refuses changes to a schedule the catalog does not know with NOT_FOUND, writing no policy and no audit', async () => {
    const scheduleId = randomUUID();
    for (const [query, variables] of [
      [SET_QUEUE_POLICY, { scheduleId, admitsPerSecond: 10 }],
      [PAUSE_QUEUE, { scheduleId }],
      [RESUME_QUEUE, { scheduleId }],
    ] as const) {
      expect(errorCode(await gql(query, variables, { token: admin }))).toBe('NOT_FOUND');
    }
    expect(await storedPolicies(scheduleId)).toHaveLength(0);
    expect(await auditOf(scheduleId)).toHaveLength(0);
  });

  it('refuses a scheduleId that is not a UUID with BAD_USER_INPUT, for reads and changes', async () => {
    const read = await gql(QUEUE_POLICY, { scheduleId: 'schedule-1' }, { token: admin });
    expect(errorCode(read)).toBe('BAD_USER_INPUT');
    const change = await gql(SET_QUEUE_POLICY, { scheduleId: "1' OR '1'='1", admitsPerSecond: 10 }, { token: admin });
    expect(errorCode(change)).toBe('BAD_USER_INPUT');
  });

  it('refuses fans with FORBIDDEN and anonymous callers with UNAUTHENTICATED, changing nothing', async () => {
    const fan = await signUpFan();
    const scheduleId = await openSchedule();
    expect(errorCode(await gql(QUEUE_POLICY, { scheduleId }, { token: fan.token }))).toBe('FORBIDDEN');
    expect(errorCode(await gql(QUEUE_POLICY, { scheduleId }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(SET_QUEUE_POLICY, { scheduleId, paused: true }, { token: fan.token }))).toBe('FORBIDDEN');
    expect(errorCode(await gql(SET_QUEUE_POLICY, { scheduleId, paused: true }))).toBe('UNAUTHENTICATED');
    expect(await storedPolicies(scheduleId)).toHaveLength(0);
    expect(await auditOf(scheduleId)).toHaveLength(0);
  });

  it('pauses and resumes through the policy, auditing each, and queueStats shows it', async () => {
    const scheduleId = await openSchedule();
    const paused = await gql<{ pauseQueue: Policy }>(PAUSE_QUEUE, { scheduleId }, { token: admin });
    expect(paused.data?.pauseQueue).toMatchObject({ scheduleId, paused: true, admitsPerSecond: 50, maxActive: 1000 });
    const stats = await gql<{ queueStats: Record<string, unknown> }>(QUEUE_STATS, { scheduleId }, { token: admin });
    expect(stats.data?.queueStats).toEqual({ scheduleId, waiting: 0, active: 0, admitted: 0, paused: true, maxActive: 1000 });
    const resumed = await gql<{ resumeQueue: Policy }>(RESUME_QUEUE, { scheduleId }, { token: admin });
    expect(resumed.data?.resumeQueue).toMatchObject({ paused: false });
    expect((await auditOf(scheduleId)).map((row) => [row.detail.before['paused'], row.detail.after['paused']])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('refuses queueStats, pauseQueue and resumeQueue to fans (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    const fan = await signUpFan();
    const scheduleId = await openSchedule();
    for (const operation of [QUEUE_STATS, PAUSE_QUEUE, RESUME_QUEUE]) {
      expect(errorCode(await gql(operation, { scheduleId }, { token: fan.token }))).toBe('FORBIDDEN');
      expect(errorCode(await gql(operation, { scheduleId }))).toBe('UNAUTHENTICATED');
    }
    expect(errorCode(await gql(QUEUE_STATS, { scheduleId: 'nope' }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect(await storedPolicies(scheduleId)).toHaveLength(0);
    expect(await auditOf(scheduleId)).toHaveLength(0);
  });

  it('serialises concurrent changes: every change is applied and audited once, as an unbroken chain', async () => {
    const scheduleId = await openSchedule();
    const rates = Array.from({ length: 12 }, (_, i) => 100 + i);
    const responses = await Promise.all(
      rates.map((admitsPerSecond) => gql(SET_QUEUE_POLICY, { scheduleId, admitsPerSecond }, { token: admin })),
    );
    expect(responses.filter((r) => r.errors)).toEqual([]);

    const audit = await auditOf(scheduleId);
    expect(audit).toHaveLength(rates.length);
    // Walk the chain from the defaults: each change must have seen the previous one's result.
    const byBefore = new Map(audit.filter((row) => row.detail.before['source'] === 'stored').map((row) => [row.detail.before['admitsPerSecond'], row]));
    let step = audit.find((row) => row.detail.before['source'] === 'defaults');
    const walked: unknown[] = [];
    while (step && walked.length <= audit.length) {
      walked.push(step.detail.after['admitsPerSecond']);
      step = byBefore.get(step.detail.after['admitsPerSecond']);
    }
    expect([...walked].sort()).toEqual(rates);
    const [stored] = await storedPolicies(scheduleId);
    expect(stored?.['admits_per_second']).toBe(walked.at(-1));
  });
});
