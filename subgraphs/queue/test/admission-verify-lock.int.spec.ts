import { admitFreely, admittedFan, closeDatabases, gql, logInAdmin, openSchedule } from '@ticketing/test-support';
import { eventually, verify } from './queue-test-kit';

/*
 * The admission check booking asks before a hold (POST /internal/admission/verify on the queue's
 * own port) refuses a locked account like /graphql does: the fan's ticket stays ACTIVE in the
 * waiting room, but admits nobody while the lock stands.
 */

const LOCK = 'mutation Lock($userId: ID!) { lockUser(userId: $userId, reason: "admission fence test") { locked } }';
const UNLOCK = 'mutation Unlock($userId: ID!) { unlockUser(userId: $userId) { locked } }';

afterAll(async () => {
  await closeDatabases();
});

describe('the admission check and locked accounts', () => {
  it('given an admitted fan, when an admin locks the account, then the check answers 403 ACCOUNT_LOCKED instead of a verdict; unlocked, the same ticket admits again', async () => {
    const admin = await logInAdmin();
    const scheduleId = await openSchedule();
    await admitFreely(scheduleId);
    const fan = await admittedFan(scheduleId);
    const check = () => verify({ token: fan.queueToken, scheduleId }, { token: fan.token });

    expect(await check()).toMatchObject({ status: 200, body: { valid: true } });

    expect((await gql(LOCK, { userId: fan.id }, { token: admin })).errors).toBeUndefined();
    // The standing reaches the queue process over Redis pub/sub: wait for it, then it holds.
    const refused = await eventually(async () => {
      const answer = await check();
      return answer.status === 403 ? answer : undefined;
    }, 15_000, 'the queue to refuse the locked account');
    expect(refused.body).toMatchObject({ error: 'ACCOUNT_LOCKED' });
    expect(refused.body).not.toHaveProperty('valid');

    expect((await gql(UNLOCK, { userId: fan.id }, { token: admin })).errors).toBeUndefined();
    const readmitted = await eventually(async () => {
      const answer = await check();
      return answer.status === 200 ? answer : undefined;
    }, 15_000, 'the queue to admit the unlocked account again');
    expect(readmitted.body).toMatchObject({ valid: true });
  });

  it('given two admitted fans, when one is locked, then the other is still admitted', async () => {
    const admin = await logInAdmin();
    const scheduleId = await openSchedule();
    await admitFreely(scheduleId);
    const [locked, other] = await Promise.all([admittedFan(scheduleId), admittedFan(scheduleId)]);
    await gql(LOCK, { userId: locked.id }, { token: admin });

    await eventually(async () => ((await verify({ token: locked.queueToken, scheduleId }, { token: locked.token })).status === 403 ? true : undefined), 15_000, 'the lock');
    expect(await verify({ token: other.queueToken, scheduleId }, { token: other.token })).toMatchObject({ status: 200, body: { valid: true } });
  });
});
