import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import {
  errorCode,
  gql,
  signUpFan,
  type SignedUpFan,
} from '@ticketing/test-support';
import { adminCredentials, asAdmin, openAdminConsole, saysStatus } from './admin-pages';
import { axeViolations, eventually, useBrowserSystem } from './web-pages';

/**
 * The console's Users and Dead letters screens in Chromium against a system of this file's own
 * (locks and parked messages are system-wide state): an admin finds a fan by e-mail, makes them an
 * admin and a fan again, locks them (their calls are refused at once) and unlocks them; a poison
 * message on payment.events is parked by booking's consumer, listed on the screen and redriven.
 */

const own = useBrowserSystem('webusers');

const PASSWORD = 'correct-horse-battery';

async function logIn(fan: SignedUpFan): Promise<string> {
  const response = await gql<{ logIn: { token: string } }>('mutation L($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: fan.email, p: PASSWORD });
  if (!response.data) throw new Error(`logIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.logIn.token;
}

interface UserRow {
  id: string;
  role: string;
  locked: boolean;
  lockedReason: string | null;
}
async function userByEmail(email: string): Promise<UserRow> {
  const { users } = await asAdmin<{ users: { nodes: UserRow[] } }>('query U($s: String) { users(search: $s) { nodes { id role locked lockedReason } } }', { s: email });
  expect(users.nodes).toHaveLength(1);
  return users.nodes[0]!;
}

/** `me` with a token: its id, or the refusal's code. */
async function meWith(token: string): Promise<string | undefined> {
  const response = await gql<{ me: { id: string } | null }>('{ me { id } }', {}, { token });
  return response.data?.me?.id ?? errorCode(response);
}

describe('the Users screen', () => {
  it('finds a fan by e-mail, makes them an admin and a fan again, locks them (their calls are refused) and unlocks them', async () => {
    const fan = await signUpFan('Target Fan');
    const { page, problems } = await openAdminConsole(own.browser);
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

    // The whole address finds exactly this account.
    await page.getByLabel(/^E-mail address/).fill(fan.email);
    await page.getByRole('button', { name: 'Find users' }).click();
    const card = page.locator(`li[data-user-id="${fan.id}"]`);
    await card.waitFor();
    expect(await page.locator('li[data-user-id]').count()).toBe(1);
    expect(await card.getByRole('heading', { name: 'Target Fan' }).count()).toBe(1);
    expect(await card.getByTestId('user-lock').textContent()).toBe('active');
    expect(await axeViolations(page)).toEqual([]);

    // A fan made an admin: the server says ADMIN, the old fan token is stale, a new log-in is an admin's.
    await page.getByRole('button', { name: `Make an admin: ${fan.email}` }).click();
    await saysStatus(card, `${fan.email} is now an admin.`);
    await card.getByRole('button', { name: `Make a fan: ${fan.email}` }).waitFor();
    expect((await userByEmail(fan.email)).role).toBe('ADMIN');
    await eventually(async () => (await meWith(fan.token)) === 'UNAUTHENTICATED', 30_000, 'the fan token refused after the promotion');
    const asNewAdmin = await logIn(fan);
    expect((await gql('query { users(first: 1) { nodes { id } } }', {}, { token: asNewAdmin })).errors).toBeUndefined();

    // And a fan again.
    await card.getByRole('button', { name: `Make a fan: ${fan.email}` }).click();
    await saysStatus(card, `${fan.email} is now a fan.`);
    expect((await userByEmail(fan.email)).role).toBe('USER');
    const fanToken = await logIn(fan);
    expect(await meWith(fanToken)).toBe(fan.id);
    expect(errorCode(await gql('query { users(first: 1) { nodes { id } } }', {}, { token: fanToken }))).toBe('FORBIDDEN');

    // Locked: the screen says so with the reason; the fan's next calls are refused ACCOUNT_LOCKED.
    await card.getByLabel('Reason for locking').fill('Chargeback fraud');
    await card.getByRole('button', { name: 'Lock', exact: true }).click();
    await saysStatus(card, `${fan.email} is locked: their sessions stop working at once.`);
    expect(await card.getByTestId('user-lock').textContent()).toBe('locked (Chargeback fraud)');
    expect(await userByEmail(fan.email)).toMatchObject({ locked: true, lockedReason: 'Chargeback fraud' });
    await eventually(async () => (await meWith(fanToken)) === 'ACCOUNT_LOCKED', 30_000, 'the locked fan refused');
    expect(errorCode(await gql('mutation { chargeWallet(amount: 1000, idempotencyKey: "locked-top-up") { balance } }', {}, { token: fanToken }))).toBe('ACCOUNT_LOCKED');

    // Unlocked: the same token works again.
    await card.getByRole('button', { name: `Unlock: ${fan.email}` }).click();
    await saysStatus(card, `${fan.email} is unlocked.`);
    expect(await card.getByTestId('user-lock').textContent()).toBe('active');
    expect((await userByEmail(fan.email)).locked).toBe(false);
    await eventually(async () => (await meWith(fanToken)) === fan.id, 30_000, 'the unlocked fan let in again');
    expect(await axeViolations(page)).toEqual([]);

    // The seeded admin: never locked from its own screen, and never demoted as the last admin.
    const { email: adminEmail } = adminCredentials();
    await page.getByLabel(/^E-mail address/).fill(adminEmail);
    await page.getByRole('button', { name: 'Find users' }).click();
    const adminCard = page.locator('li[data-user-id]', { hasText: adminEmail });
    await adminCard.waitFor();
    expect(await adminCard.getByRole('form', { name: `Lock ${adminEmail}` }).count()).toBe(0);
    await adminCard.getByRole('button', { name: `Make a fan: ${adminEmail}` }).click();
    await adminCard.getByRole('alert').waitFor();
    expect((await userByEmail(adminEmail)).role).toBe('ADMIN');
    expect(problems.cspViolations).toEqual([]);
    await page.context().close();
  }, 120_000);
});

describe('the Dead letters screen', () => {
  it('lists a message booking parked from payment.events and redrives it through the consumer, which parks it again', async () => {
    const eventType = `Poison${randomUUID().slice(0, 8)}`;
    const kafka = new Kafka({ clientId: 'web-dead-letters', brokers: own.system.env['KAFKA_BROKERS']?.split(',') ?? ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${own.system.env['KAFKA_TOPIC_PREFIX']}payment.events`, messages: [{ key: eventType, value: '{"not": "an envelope"', headers: { 'event-type': eventType } }] });
    await producer.disconnect();

    // Two consumers read payment.events and both park it: booking's saga consumer and history's archiver.
    const CONSUMER = 'payment-outcomes';
    type Letter = { partition: number; offset: string; eventType: string | null; reason: string | null; consumer: string | null; sourceTopic: string | null };
    const parked = async () =>
      (await asAdmin<{ deadLetters: Letter[] }>('query { deadLetters(source: PAYMENT_EVENTS) { partition offset eventType reason consumer sourceTopic } }')).deadLetters.filter(
        (letter) => letter.eventType === eventType && letter.consumer === CONSUMER,
      );

    const { page, problems } = await openAdminConsole(own.browser);
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('heading', { name: 'Dead letters', level: 1 }).waitFor();
    await page.getByLabel('Topic').selectOption('PAYMENT_EVENTS');
    const cards = page.locator('li.card', { has: page.getByRole('heading', { name: eventType }), hasText: `parked by ${CONSUMER}` });
    await eventually(
      async () => {
        if ((await cards.count()) === 1) return true;
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.waitForTimeout(500);
        return false;
      },
      60_000,
      'the poison message on the screen',
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; the page says: ${await page.locator('main').innerText()}`, { cause: error });
    });
    const [letter, ...others] = await parked();
    expect(others).toEqual([]);
    const card = cards.first();
    // The dead-letter topic's own coordinates (what a redrive names), and where it came from.
    expect(await card.textContent()).toContain(`Parked on ${own.system.env['KAFKA_TOPIC_PREFIX']}payment.events.dlq partition ${letter!.partition}, offset ${letter!.offset}`);
    expect(await card.textContent()).toContain(`from ${letter!.sourceTopic}`);
    await card.getByText(/^malformed/).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await card.getByRole('button', { name: `Redrive: ${eventType} at ${letter!.partition}:${letter!.offset}` }).click();
    await saysStatus(card, 'Sent back to its topic.');
    const redriven = card.getByRole('button', { name: `Redriven: ${eventType} at ${letter!.partition}:${letter!.offset}` });
    expect(await redriven.textContent()).toBe('Redriven');
    expect(await redriven.isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Still unreadable, so booking's consumer parks it a second time: it really went back through the topic.
    const again = await eventually(async () => {
      const letters = await parked();
      return letters.length === 2 && letters;
    }, 30_000, 'the redriven message parked again');
    expect(again.map((parking) => parking.offset)).toContain(letter!.offset);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(async () => (await cards.count()) === 2, 15_000, 'both parkings on the screen');
    expect(problems.cspViolations).toEqual([]);
    expect(problems.errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
