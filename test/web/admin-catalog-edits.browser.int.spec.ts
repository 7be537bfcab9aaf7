import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import {
  admit,
  createCatalogSchedule,
  gql,
  holdSeats,
  logInAdmin,
  signUpFan,
} from '@ticketing/test-support';
import { adminSeat, asAdmin, localInput, openAdminConsole, saysStatus } from './admin-pages';
import { axeViolations, eventually, gatewayBase, openPage, useBrowserSystem } from './web-pages';

/**
 * The console's editing screens in Chromium against a system of this file's own: an admin edits a
 * concert and a schedule (its start, seats per fan and refund cutoff), sets the waiting room's
 * rate and cap, closes sales (a fan's enterQueue is refused SALES_CLOSED, the fan's page says
 * sales are closed) and opens them again, and releases a seat held back from sale (a fan can
 * then hold it). Every change is read back through the gateway, not only from the screen.
 */

const own = useBrowserSystem('webcatalog');

const HOUR = 3600_000;
const MINUTE = 60_000;

interface ScheduleRead {
  startsAt: string;
  maxSeatsPerFan: number;
  refundCutoffHours: number;
  salesClosedAt: string | null;
  seats: Array<{ id: string; status: string }>;
}
const readSchedule = async (id: string) =>
  (await asAdmin<{ schedule: ScheduleRead }>('query S($id: ID!) { schedule(id: $id) { startsAt maxSeatsPerFan refundCutoffHours salesClosedAt seats { id status } } }', { id })).schedule;

interface PolicyRead {
  admitsPerSecond: number;
  maxActive: number;
  paused: boolean;
}
const readPolicy = async (scheduleId: string) =>
  (await asAdmin<{ queuePolicy: PolicyRead }>('query Q($s: ID!) { queuePolicy(scheduleId: $s) { admitsPerSecond maxActive paused } }', { s: scheduleId })).queuePolicy;

/** The dashboard's queue policy form, once it shows the policy in force as the API reads it. */
async function openQueuePolicyForm(page: Page, scheduleId: string) {
  await page.goto(`${gatewayBase()}/admin/schedules/${scheduleId}`);
  const form = page.getByRole('form', { name: 'Queue policy' });
  const rate = form.getByLabel('Admissions per second');
  const cap = form.getByLabel('Most fans shopping at once');
  const shown = async () => [await rate.inputValue(), await cap.inputValue()];
  const before = await readPolicy(scheduleId);
  await eventually(async () => (await shown()).join() === [before.admitsPerSecond, before.maxActive].join(), 15_000, 'the current policy read into the form');
  /** Saves as the admin would; answers the variables the form sent. */
  const save = async () => {
    const [sent] = await Promise.all([
      page.waitForRequest((request) => request.url().endsWith('/graphql') && (request.postData() ?? '').includes('AdminSetQueuePolicy')),
      form.getByRole('button', { name: 'Save queue policy' }).click(),
    ]);
    await saysStatus(page, 'Queue policy saved.');
    return (sent.postDataJSON() as { variables: unknown }).variables;
  };
  return { rate, cap, shown, save };
}

/** A new fan's enterQueue: its ticket status, or the refusal's code and reason. */
async function enterQueueAsNewFan(scheduleId: string): Promise<string> {
  const fan = await signUpFan('Latecomer');
  const response = await gql<{ enterQueue: { status: string } }>('mutation E($s: ID!) { enterQueue(scheduleId: $s) { status } }', { s: scheduleId }, { token: fan.token });
  const error = response.errors?.[0];
  return error ? `${String(error.extensions?.code)}/${String(error.extensions?.['reason'])}` : response.data!.enterQueue.status;
}

describe('editing the catalog from the console', () => {
  let concertId: string;
  let scheduleId: string;
  let seatIds: string[];

  beforeAll(async () => {
    const made = await createCatalogSchedule(await logInAdmin(), {
      opensAt: new Date(Date.now() - MINUTE),
      title: `Before edit ${randomUUID().slice(0, 6)}`,
      sections: [{ section: 'Floor', rows: ['A'], seatsPerRow: 4, price: 40_000 }],
    });
    ({ concertId, scheduleId } = made);
    seatIds = made.seats.map((seat) => seat.id);
  });

  it('an admin edits a concert and a schedule (start, seats per fan, refund cutoff), and the API answers the new values', async () => {
    const { page, problems } = await openAdminConsole(own.browser);
    await page.goto(`${gatewayBase()}/admin/concerts/${concertId}`);
    const details = page.getByRole('form', { name: 'Concert details' });
    await details.waitFor();
    const title = `After edit ${randomUUID().slice(0, 6)}`;
    await details.getByLabel('Title').fill(title);
    await details.getByLabel('Artist').fill('The Editors');
    await details.getByLabel('Venue').fill('Revised Hall');
    await details.getByRole('button', { name: 'Save concert' }).click();
    await saysStatus(details, 'Concert saved.');
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    const { concert } = await asAdmin<{ concert: { title: string; artist: string; venue: string } }>('query C($id: ID!) { concert(id: $id) { title artist venue } }', { id: concertId });
    expect(concert).toEqual({ title, artist: 'The Editors', venue: 'Revised Hall' });
    expect(await axeViolations(page)).toEqual([]);

    // The schedule's details are edited on its seats screen.
    await page.goto(`${gatewayBase()}/admin/schedules/${scheduleId}/seats`);
    const form = page.getByRole('form', { name: 'Schedule', exact: true });
    await form.waitFor();
    const startsAt = localInput(45 * 24 * HOUR);
    await form.getByLabel('Starts at').fill(startsAt);
    await form.getByLabel('Most seats per fan').fill('2');
    await form.getByLabel('Refund cutoff (hours before the show)').fill('72');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await saysStatus(page, 'Schedule saved.');
    await page.getByText('up to 2 seats per fan · refunds until 72 h before the show').waitFor();
    expect(await form.getByLabel('Starts at').inputValue()).toBe(startsAt);
    const saved = await readSchedule(scheduleId);
    expect(saved).toMatchObject({ maxSeatsPerFan: 2, refundCutoffHours: 72 });
    // Typed to the minute in the browser's zone (the same as this process's).
    expect(new Date(saved.startsAt).getTime()).toBe(new Date(startsAt).getTime());
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.context().close();
  }, 90_000);

  it('the Seats screen releases a seat held back from sale: it shows available and a fan can hold it', async () => {
    const [, second] = seatIds;
    await asAdmin('mutation B($s: ID!, $seats: [ID!]!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: "Camera position") { id } }', { s: scheduleId, seats: [second] });
    const { page, problems } = await openAdminConsole(own.browser);
    await page.goto(`${gatewayBase()}/admin/schedules/${scheduleId}/seats`);
    const a2 = adminSeat(page, 'Floor', 'A', 2);
    await eventually(async () => (await a2.getAttribute('data-status')) === 'BLOCKED', 30_000, 'A2 blocked on the map');
    expect(await axeViolations(page)).toEqual([]);
    await a2.click();
    await page.getByRole('button', { name: 'Release 1 seat' }).click();
    await saysStatus(page, '1 seat back on sale.');
    await eventually(async () => (await a2.getAttribute('data-status')) === 'AVAILABLE', 30_000, 'A2 available on the map');
    expect(await page.getByRole('button', { name: 'Release 0 seats' }).isDisabled()).toBe(true);
    await eventually(async () => (await readSchedule(scheduleId)).seats.find((seat) => seat.id === second)?.status === 'AVAILABLE', 30_000, 'A2 available in the catalog');
    // On sale for real: a fan holds it.
    await asAdmin('mutation P($s: ID!) { setQueuePolicy(scheduleId: $s, admitsPerSecond: 100, maxActive: 100) { paused } }', { s: scheduleId });
    const fan = await admit(await signUpFan('Released seat buyer'), scheduleId);
    const held = await holdSeats(fan, scheduleId, [second!]);
    expect(held.code).toBeUndefined();
    expect(held.booking?.status).toBe('HELD');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.context().close();
  }, 90_000);

  it('the queue policy form sets rate and cap; closing sales refuses a new fan SALES_CLOSED and opening lets them in', async () => {
    const { page, problems } = await openAdminConsole(own.browser);
    const policy = await openQueuePolicyForm(page, scheduleId);
    await policy.rate.fill('7');
    await policy.cap.fill('3');
    expect(await policy.save()).toEqual({ scheduleId, admitsPerSecond: 7, maxActive: 3 });
    expect(await readPolicy(scheduleId)).toEqual({ admitsPerSecond: 7, maxActive: 3, paused: false });

    // Close: the header says so, the API records it, the queue refuses newcomers.
    await page.getByLabel('Reason for closing sales').fill('Venue inspection');
    await page.getByRole('button', { name: 'Close sales' }).click();
    await saysStatus(page, 'Sales closed. Fans already in line keep their places.');
    await page.getByTestId('sales-state').filter({ hasText: /^sales closed since / }).waitFor();
    expect((await readSchedule(scheduleId)).salesClosedAt).not.toBeNull();
    await eventually(async () => (await enterQueueAsNewFan(scheduleId)) === 'INVALID_STATE/SALES_CLOSED', 30_000, 'enterQueue refused SALES_CLOSED');
    expect(await axeViolations(page)).toEqual([]);

    // A fan's own page says so instead of offering the waiting room.
    const fanPage = await openPage(own.browser, undefined, { ...(await signUpFan('Shut out')), name: 'Shut out' });
    await fanPage.page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
    await fanPage.page.getByText('Sales are closed for now.').waitFor();
    expect(await fanPage.page.getByRole('button', { name: 'Enter the waiting room' }).count()).toBe(0);

    // Open again: the API and the queue agree, the fan's page offers the waiting room.
    await page.getByRole('button', { name: 'Open sales now' }).click();
    await saysStatus(page, 'Sales open.');
    await page.getByTestId('sales-state').filter({ hasText: /^on sale$/ }).waitFor();
    expect((await readSchedule(scheduleId)).salesClosedAt).toBeNull();
    await eventually(async () => ['WAITING', 'ACTIVE'].includes(await enterQueueAsNewFan(scheduleId)), 30_000, 'enterQueue accepted again');
    await fanPage.page.reload();
    await fanPage.page.getByRole('button', { name: 'Enter the waiting room' }).click();
    await fanPage.page.locator('[data-state="admitted"], [data-state="in-line"], [data-state="paused"]').first().waitFor();
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    expect(fanPage.problems.cspViolations).toEqual([]);
    await Promise.all([page.context().close(), fanPage.page.context().close()]);
  }, 90_000);

  it('a read of the waiting room that answers after the admin typed leaves the typed rate and cap alone: the form saves what was typed', async () => {
    const { page, problems } = await openAdminConsole(own.browser);
    // The screen's reads of the waiting room: the first answers at once; later ones (a development
    // build's StrictMode mounts the form twice, the 5 s refresh) are read from the server at once
    // but answered only when the test says, with a mark on the page's "Admitted so far" to see them land.
    const LATE_MARK = 424_242;
    const late: Array<() => Promise<void>> = [];
    let reads = 0;
    let holding = true;
    await page.route(
      (url) => url.pathname === '/graphql',
      async (route) => {
        if (!(route.request().postData() ?? '').includes('AdminQueueState') || (reads += 1) === 1 || !holding) return route.continue();
        const response = await route.fetch();
        const body = (await response.json()) as { data: { queueStats: { admitted: number } } };
        body.data.queueStats.admitted = LATE_MARK;
        const answer = () => route.fulfill({ response, json: body });
        if (holding) late.push(answer);
        else await answer();
      },
    );
    const policy = await openQueuePolicyForm(page, scheduleId);
    await eventually(async () => late.length > 0, 15_000, 'a later read of the waiting room held back');

    // The admin types, then the held read (of the policy as it was) lands.
    await policy.rate.fill('9');
    await policy.cap.fill('4');
    while (late.length > 0) await late.shift()!();
    holding = false;
    await page.getByTestId('dashboard-queue-admitted').filter({ hasText: String(LATE_MARK) }).waitFor();
    expect(await policy.shown()).toEqual(['9', '4']);

    expect(await policy.save()).toEqual({ scheduleId, admitsPerSecond: 9, maxActive: 4 });
    expect(await readPolicy(scheduleId)).toEqual({ admitsPerSecond: 9, maxActive: 4, paused: false });
    expect(await policy.shown()).toEqual(['9', '4']);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.context().close();
  }, 90_000);
});
