import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import {
  admit,
  admitFreely,
  createCatalogSchedule,
  gql,
  holdSeats,
  logInAdmin,
  mapLimit,
  restartService,
  signUpFan,
} from '@ticketing/test-support';
import { asAdmin, localInput, openAdminConsole, openConsoleAs, saysAlert, saysStatus } from './admin-pages';
import { axeViolations, gatewayBase, useBrowserSystem } from './web-pages';

/**
 * The console's Bookings screen in Chromium against a system of this file's own: 24 bookings (22
 * comps CONFIRMED, one fan's hold, one cancelled) need two pages of 20; the status and time
 * filters narrow the list exactly as the API does; and the CSV download says why when the export
 * is refused (an admin demoted mid-session) or fails (the booking service down), then works again.
 */

const own = useBrowserSystem('webbookings');
let scheduleId: string;
let heldId: string;
let cancelledId: string;

const COMPS = 22;

beforeAll(async () => {
  const admin = await logInAdmin();
  const made = await createCatalogSchedule(admin, {
    opensAt: new Date(Date.now() - 60_000),
    sections: [{ section: 'Floor', rows: ['A', 'B', 'C'], seatsPerRow: 10, price: 30_000 }],
  });
  scheduleId = made.scheduleId;
  const seats = made.seats.map((seat) => seat.id);
  // 22 comps, one booking each: blocked together, booked for a guest one by one.
  const comped = seats.slice(0, COMPS);
  await asAdmin('mutation B($s: ID!, $seats: [ID!]!) { blockSeats(scheduleId: $s, seatIds: $seats, reason: "Guest list") { id } }', { s: scheduleId, seats: comped });
  await mapLimit(comped, 4, (seatId, i) =>
    asAdmin('mutation G($s: ID!, $seats: [ID!]!, $g: String!) { bookBlockedSeats(scheduleId: $s, seatIds: $seats, guestName: $g) { id } }', { s: scheduleId, seats: [seatId], g: `Guest ${i + 1}` }),
  );
  // Two fans hold a seat each; one cancels.
  await admitFreely(scheduleId);
  const [holder, canceller] = await Promise.all([admit(await signUpFan('Holder'), scheduleId), admit(await signUpFan('Canceller'), scheduleId)]);
  const held = await holdSeats(holder!, scheduleId, [seats[COMPS]!]);
  const toCancel = await holdSeats(canceller!, scheduleId, [seats[COMPS + 1]!]);
  heldId = held.booking!.id;
  cancelledId = toCancel.booking!.id;
  const cancelled = await gql('mutation C($b: ID!) { cancelBooking(bookingId: $b) { status } }', { b: cancelledId }, { token: canceller!.token });
  expect(cancelled.errors).toBeUndefined();
}, 180_000);

interface Filters {
  status?: string;
  createdFrom?: string;
  createdBefore?: string;
}

/** Every booking id the API lists with these filters, page by page. */
async function apiBookings(filters: Filters): Promise<Array<{ id: string; status: string }>> {
  const all: Array<{ id: string; status: string }> = [];
  let after: string | null = null;
  do {
    type Answer = { scheduleBookings: { nodes: Array<{ id: string; status: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const page: Answer = await asAdmin<Answer>(
      `query L($s: ID!, $status: BookingStatus, $from: DateTime, $before: DateTime, $after: String) {
        scheduleBookings(scheduleId: $s, status: $status, createdFrom: $from, createdBefore: $before, first: 50, after: $after) { nodes { id status } pageInfo { hasNextPage endCursor } }
      }`,
      { s: scheduleId, status: filters.status, from: filters.createdFrom, before: filters.createdBefore, after },
    );
    all.push(...page.scheduleBookings.nodes);
    after = page.scheduleBookings.pageInfo.hasNextPage ? page.scheduleBookings.pageInfo.endCursor : null;
  } while (after);
  return all;
}

const rows = (page: Page) => page.locator('table[aria-label="Bookings"] tbody tr');
const shownIds = async (page: Page) => (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-booking-id')))) as string[];
const shownStatuses = async (page: Page) => new Set((await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))) as string[]);

/** Applies the filter form and waits until the list is read again. */
async function showBookings(page: Page, form: { status?: string; from?: string; before?: string }): Promise<void> {
  await page.getByLabel('Status').selectOption(form.status ?? '');
  await page.getByLabel('Made from').fill(form.from ?? '');
  await page.getByLabel('Made before').fill(form.before ?? '');
  await page.getByRole('button', { name: 'Show bookings' }).click();
  await page.locator('table[aria-label="Bookings"], p:text-is("No bookings match.")').first().waitFor();
}

/** Clicks "More bookings" until it is gone: every page of the list on screen. */
async function showAllPages(page: Page): Promise<number> {
  let clicks = 0;
  for (const more = page.getByRole('button', { name: 'More bookings' }); await more.isVisible(); clicks += 1) {
    const before = await rows(page).count();
    await more.click();
    await rows(page).nth(before).waitFor();
  }
  return clicks;
}

describe('the Bookings screen', () => {
  it('pages 24 bookings by cursor (20, then 4) and filters them by status and time as the API does', async () => {
    const { page, problems } = await openAdminConsole(own.browser);
    await page.goto(`${gatewayBase()}/admin/schedules/${scheduleId}/bookings`);
    await rows(page).first().waitFor();

    // Page one: 20 rows and a way to the rest; page two: the other 4, no duplicates, exactly the API's set.
    expect(await rows(page).count()).toBe(20);
    expect(await axeViolations(page)).toEqual([]);
    expect(await showAllPages(page)).toBe(1);
    const all = await shownIds(page);
    expect(all).toHaveLength(COMPS + 2);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set((await apiBookings({})).map((booking) => booking.id)));
    expect(await page.getByRole('button', { name: 'More bookings' }).count()).toBe(0);

    // Status: one held, one cancelled, 22 confirmed over two pages (the cursor keeps the filter).
    await showBookings(page, { status: 'HELD' });
    expect(await shownIds(page)).toEqual([heldId]);
    await showBookings(page, { status: 'CANCELLED' });
    expect(await shownIds(page)).toEqual([cancelledId]);
    await showBookings(page, { status: 'CONFIRMED' });
    expect(await rows(page).count()).toBe(20);
    await showAllPages(page);
    expect(await shownStatuses(page)).toEqual(new Set(['CONFIRMED']));
    expect(new Set(await shownIds(page))).toEqual(new Set((await apiBookings({ status: 'CONFIRMED' })).map((booking) => booking.id)));
    expect(await rows(page).count()).toBe(COMPS);

    // Time: everything was made in the last ten minutes, nothing from two minutes ahead or before ten minutes ago.
    const tenMinutesAgo = localInput(-10 * 60_000);
    const inTwoMinutes = localInput(2 * 60_000);
    await showBookings(page, { from: inTwoMinutes });
    await page.getByText('No bookings match.').waitFor();
    expect(await apiBookings({ createdFrom: new Date(inTwoMinutes).toISOString() })).toEqual([]);
    await showBookings(page, { before: tenMinutesAgo });
    await page.getByText('No bookings match.').waitFor();
    await showBookings(page, { from: tenMinutesAgo, before: inTwoMinutes });
    await showAllPages(page);
    expect(await rows(page).count()).toBe(COMPS + 2);
    expect(await apiBookings({ createdFrom: new Date(tenMinutesAgo).toISOString(), createdBefore: new Date(inTwoMinutes).toISOString() })).toHaveLength(COMPS + 2);
    // Both kinds at once: the held one alone.
    await showBookings(page, { status: 'HELD', from: tenMinutesAgo, before: inTwoMinutes });
    expect(await shownIds(page)).toEqual([heldId]);

    // The download carries the filters on screen: held only.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^bookings-${scheduleId}-held-\\d{8}-\\d{4}\\.csv$`));
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(heldId);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.context().close();
  }, 120_000);

  it('the CSV download says why when the export is refused (an admin demoted mid-session) and when it fails (booking down)', async () => {
    // A second admin opens the screen, then loses the role: the export is refused, nothing is saved.
    const deputy = await signUpFan('Deputy');
    await asAdmin('mutation R($u: ID!) { setUserRole(userId: $u, role: ADMIN) { role } }', { u: deputy.id });
    const refused = await openConsoleAs(own.browser, { email: deputy.email, password: 'correct-horse-battery' }, `/admin/schedules/${scheduleId}/bookings`);
    await rows(refused.page).first().waitFor();
    await asAdmin('mutation R($u: ID!) { setUserRole(userId: $u, role: USER) { role } }', { u: deputy.id });
    const downloads: Download[] = [];
    refused.page.on('download', (download) => downloads.push(download));
    await refused.page.getByRole('button', { name: 'Download CSV' }).click();
    await saysAlert(refused.page, 'Your session has ended. Please log in again.');
    expect(await refused.page.getByRole('button', { name: 'Download CSV' }).isEnabled()).toBe(true);
    expect(await axeViolations(refused.page)).toEqual([]);
    // The server refused it, as the screen says: the same request without the browser.
    const token = (await refused.page.evaluate(`JSON.parse(localStorage.getItem('ticketing.session')).token`)) as string;
    const direct = await fetch(`${gatewayBase()}/exports/schedule-bookings.csv?scheduleId=${scheduleId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(direct.status).toBe(401);
    expect(downloads).toEqual([]);
    expect(refused.problems.cspViolations).toEqual([]);
    await refused.page.context().close();

    // The seeded admin while the booking service is down: a failure in words, then a file once it is back.
    const { page, problems } = await openAdminConsole(own.browser);
    await page.goto(`${gatewayBase()}/admin/schedules/${scheduleId}/bookings`);
    await rows(page).first().waitFor();
    const failed: Download[] = [];
    page.on('download', (download) => failed.push(download));
    await restartService(own.system, 'booking', async () => {
      await page.getByRole('button', { name: 'Download CSV' }).click();
      // Booking restarting: an outage to wait out, said as such (the gateway's SERVICE_UNAVAILABLE, a 503), not "something went wrong".
      await saysAlert(page, 'That part of the service is restarting; nothing is lost (a place in line is kept). Please try again in 1 second.');
    });
    expect(failed).toEqual([]);
    page.removeAllListeners('download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    await saysStatus(page, `Saved ${download.suggestedFilename()}.`);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(readFileSync((await download.path())!, 'utf8').trim().split('\r\n')).toHaveLength(COMPS + 3);
    expect(problems.cspViolations).toEqual([]);
    await page.context().close();
  }, 120_000);
});
