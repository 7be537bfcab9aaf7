import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { admit, admitFreely, artifactPath, bookingReaches, chargeWallet, holdSeats, payBooking, signUpFan } from '@ticketing/test-support';
import { adminSeat, figure, localInput, openAdminConsole } from './admin-pages';
import { axeViolations, eventuallyOn, gatewayBase, openPage, plantReloadMarker, useChromium } from './web-pages';

/**
 * The admin console in headless Chromium against this run's gateway: the seeded admin builds a
 * concert, a schedule and its seats, holds one back and comps it, watches the dashboard move
 * live while a fan buys through the API, exports and refunds from the bookings list, and sees
 * the dashboard move back. A fan who opens the console is told it is for admins.
 */

const chromium = useChromium();

describe('the admin console', () => {
  it('an admin lays out a schedule, comps a blocked seat, and watches a fan buy and a refund move the dashboard live', async () => {
    const { page, problems } = await openAdminConsole(chromium.browser);
    const title = `Console show ${randomUUID().slice(0, 6)}`;
    const HOUR = 3600_000;

    // Catalog: a concert, then a schedule on sale since a minute ago, starting in 30 days.
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Artist').fill('The Admins');
    await page.getByLabel('Venue').fill('Console Hall');
    await page.getByRole('button', { name: 'Create concert' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByLabel('Starts at').fill(localInput(30 * 24 * HOUR));
    await page.getByLabel('Booking opens at').fill(localInput(-2 * 60_000));
    await page.getByLabel('Most seats per fan').fill('4');
    await page.getByLabel('Refund cutoff (hours before the show)').fill('24');
    await page.getByRole('button', { name: 'Create schedule' }).click();
    await page.waitForURL(/\/admin\/schedules\/[0-9a-f-]+\/seats$/);
    const scheduleId = /\/admin\/schedules\/([0-9a-f-]+)\/seats$/.exec(page.url())![1]!;

    // Seats: two rows of four at 50,000, then the section repriced to 60,000 before anyone is admitted.
    await page.getByLabel('Section', { exact: true }).fill('Floor');
    await page.getByLabel('Rows').fill('A-B');
    await page.getByLabel('Seats per row').fill('4');
    await page.getByLabel('Price (KRW)', { exact: true }).fill('50000');
    await page.getByRole('button', { name: 'Add seats' }).click();
    await page.getByText('8 seats added to section Floor.').waitFor();
    await page.getByLabel('Section Floor price (KRW)').fill('60000');
    await page.getByRole('button', { name: 'Set price of section Floor' }).click();
    await page.getByText('Section Floor now costs').waitFor();
    await adminSeat(page, 'Floor', 'A', 1).and(page.locator('[data-status="AVAILABLE"]')).waitFor();
    expect(await adminSeat(page, 'Floor', 'B', 4).getAttribute('aria-label')).toContain('₩60,000');

    // A1 held back from sale, then booked for a guest (a comp): blocked, then sold, on the live map.
    const a1 = adminSeat(page, 'Floor', 'A', 1);
    await a1.click();
    await page.getByLabel('Reason for blocking').fill('Production hold');
    await page.getByRole('button', { name: 'Block 1 seat' }).click();
    await eventuallyOn(page, async () => (await a1.getAttribute('data-status')) === 'BLOCKED', 30_000, 'A1 blocked on the map');
    await a1.click();
    await page.getByLabel('Guest name').fill('Guest Star');
    await page.getByRole('button', { name: 'Book 1 seat for the guest' }).click();
    await page.getByText('1 seat booked for Guest Star').waitFor();
    await eventuallyOn(page, async () => (await a1.getAttribute('data-status')) === 'SOLD', 30_000, 'A1 sold to the guest on the map');
    const fanSeatId = (await adminSeat(page, 'Floor', 'A', 2).getAttribute('data-seat-id'))!;

    // The dashboard: the comp counts as sold once the archive has it.
    await page.getByRole('link', { name: 'Dashboard and queue' }).click();
    await page.getByRole('heading', { name: /^Dashboard:/ }).waitFor();
    await eventuallyOn(page, async () => (await page.getByTestId('dashboard-sold').isVisible()) && (await figure(page, 'sold')) === '1', 60_000, 'the comp on the dashboard');
    expect(await figure(page, 'revenue')).toBe('₩0');
    const stillLoaded = await plantReloadMarker(page);

    // A fan buys A2 through the API; the dashboard moves without a reload.
    await admitFreely(scheduleId);
    const fan = await admit(await signUpFan('Buyer'), scheduleId);
    const held = await holdSeats(fan, scheduleId, [fanSeatId]);
    expect(held.code).toBeUndefined();
    await chargeWallet(fan, 60_000);
    await payBooking(fan, held.booking!.id);
    await bookingReaches(fan, held.booking!.id, ['CONFIRMED']);
    await eventuallyOn(page, async () => (await figure(page, 'sold')) === '2' && (await figure(page, 'revenue')) === '₩60,000', 60_000, 'the sale on the dashboard');
    expect(await figure(page, 'admitted')).toBe('1');
    expect(await figure(page, 'conversion')).toMatch(/%$/);
    expect(Number(await page.getByTestId('chart-sold').locator('svg').getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('chart-sections').locator('rect[data-kind="sold"]').getAttribute('data-count')).toBe('2');
    expect(await stillLoaded()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('web-admin-dashboard.png'), fullPage: true });

    // Bookings: both listed; the CSV saved through a Blob URL under a telling name; the fan's refunded.
    await page.getByRole('link', { name: 'Bookings', exact: true }).click();
    const fanRow = page.locator(`tr[data-booking-id="${held.booking!.id}"]`);
    await fanRow.waitFor();
    await page.locator('tr', { hasText: 'Guest: Guest Star' }).waitFor();
    await page.screenshot({ path: artifactPath('web-admin-bookings.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^bookings-${scheduleId}-all-\\d{8}-\\d{4}\\.csv$`));
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('bookingId');
    expect(csv).toContain(held.booking!.id);
    expect(csv).toContain('Guest Star');

    await fanRow.getByLabel('Reason for the refund').fill('Show cancelled for this fan');
    await fanRow.getByRole('button', { name: 'Refund' }).click();
    await page.locator(`tr[data-booking-id="${held.booking!.id}"][data-status="REFUNDED"]`).waitFor();
    await bookingReaches(fan, held.booking!.id, ['REFUNDED']);

    // The dashboard moves back: one sold (the comp), no revenue.
    await page.getByRole('link', { name: 'Dashboard and queue' }).click();
    await eventuallyOn(page, async () => (await page.getByTestId('dashboard-sold').isVisible()) && (await figure(page, 'sold')) === '1' && (await figure(page, 'revenue')) === '₩0', 60_000, 'the refund on the dashboard');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.context().close();
  }, 300_000);

  it('a fan who opens the console sees "Admins only", not a broken screen', async () => {
    const fan = { ...(await signUpFan('Curious')), name: 'Curious' };
    const { page, problems } = await openPage(chromium.browser, undefined, fan);
    for (const path of ['/admin', '/admin/users', `/admin/schedules/${randomUUID()}`]) {
      await page.goto(`${gatewayBase()}${path}`);
      await page.getByRole('heading', { name: 'Admins only' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Admin console' }).count()).toBe(0);
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.context().close();
  });
});
