import { randomUUID } from 'node:crypto';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { admitFreely, artifactPath, createCatalogSchedule, gql, logInAdmin, signUpFan } from '@ticketing/test-support';
import { axeViolations, bookingShows, DESKTOP, eventually, gatewayBase, MOBILE, openPage, seat, tabTo, useChromium } from './web-pages';

/**
 * The fan's journey through the web client, in headless Chromium against this run's gateway,
 * which serves the production build at /: sign up, the waiting room, the live seat map, a hold
 * with its countdown, cancel, wallet top-up, payment pushed to CONFIRMED, the timeline, a refund.
 */

const chromium = useChromium();
let admin: string;

beforeAll(async () => {
  admin = await logInAdmin();
});

/** A schedule on sale now with two rows of six seats, admitting at once. */
async function onSaleSchedule(title: string) {
  const schedule = await createCatalogSchedule(admin, {
    opensAt: new Date(Date.now() - 60_000),
    title,
    sections: [{ section: 'Floor', rows: ['A', 'B'], seatsPerRow: 6, price: 55_000 }],
  });
  await admitFreely(schedule.scheduleId);
  return schedule;
}

async function signUpThroughTheApp(page: Page, name: string): Promise<void> {
  await page.goto(`${gatewayBase()}/`);
  await page.getByRole('heading', { name: 'Concerts' }).waitFor();
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('E-mail').fill(`web-${randomUUID()}@example.com`);
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('button', { name: `Log out ${name}` }).waitFor();
}

async function journey(options: BrowserContextOptions, label: string): Promise<void> {
  const { scheduleId, seats } = await onSaleSchedule(`Web journey ${label} ${randomUUID().slice(0, 6)}`);
  const { page, problems } = await openPage(chromium.browser, options);
  await signUpThroughTheApp(page, `Fan ${label}`);
  await page.screenshot({ path: artifactPath(`web-${label}-concerts.png`), fullPage: true });

  // The waiting room, by keyboard: admitted at once (admitFreely), the countdown of the turn shows.
  await page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
  await page.getByRole('heading', { name: 'Waiting room' }).waitFor();
  await tabTo(page, 'Enter the waiting room');
  await page.keyboard.press('Enter');
  await page.locator('[data-state="admitted"]').waitFor();
  await page.getByText('Your turn ends in').waitFor();

  // One seat, chosen by keyboard, held and then cancelled: the seat is for sale again.
  const [first, second, third] = seats;
  await tabTo(page, 'Floor, row A, seat 1');
  await page.keyboard.press('Space');
  expect(await seat(page, first!.id).getAttribute('aria-pressed')).toBe('true');
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await page.waitForURL(/\/bookings\/[0-9a-f-]+$/);
  await bookingShows(page, 'HELD');
  await page.getByText('Pay before the hold ends in').waitFor();
  await page.getByRole('button', { name: 'Cancel booking' }).click();
  await bookingShows(page, 'CANCELLED');

  // Two seats held: the countdown to heldUntil, a top-up, the payment pushed to CONFIRMED.
  await page.goBack();
  await page.locator('[data-state="admitted"]').waitFor();
  await eventually(async () => (await seat(page, first!.id).getAttribute('data-status')) === 'AVAILABLE', 30_000, 'the cancelled seat to be on sale again');
  await seat(page, second!.id).click();
  await seat(page, third!.id).click();
  await page.screenshot({ path: artifactPath(`web-${label}-seat-map.png`), fullPage: true });
  await page.getByRole('button', { name: 'Hold 2 seats' }).click();
  await bookingShows(page, 'HELD');
  const bookingUrl = page.url();
  await page.screenshot({ path: artifactPath(`web-${label}-booking-held.png`), fullPage: true });
  // An empty wallet: paying is offered only once the balance covers the amount.
  expect(await page.getByRole('button', { name: /^Pay / }).isDisabled()).toBe(true);
  await page.getByText('Top up your wallet by at least').waitFor();
  await page.getByLabel('Top-up amount (KRW)').fill('110000');
  await page.getByRole('button', { name: 'Top up wallet' }).click();
  await eventually(async () => ((await page.getByTestId('wallet-balance').textContent()) ?? '').includes('110,000'), 10_000, 'the new balance');
  await page.getByRole('button', { name: /^Pay / }).click();
  await bookingShows(page, 'CONFIRMED');
  expect(page.url()).toBe(bookingUrl);

  // The timeline (history subgraph) catches up; My bookings lists the booking.
  await eventually(
    async () => {
      await page.getByRole('link', { name: 'My bookings', exact: true }).click();
      await page.getByRole('heading', { name: 'My bookings' }).waitFor();
      await page.locator('.card', { hasText: 'confirmed' }).getByRole('link').click();
      await bookingShows(page, 'CONFIRMED');
      return (await page.getByRole('list', { name: 'Timeline' }).locator('li').count()) >= 3;
    },
    60_000,
    'the timeline to show the hold, the payment and the confirmation',
  );
  await page.screenshot({ path: artifactPath(`web-${label}-booking-confirmed.png`), fullPage: true });
  expect(await axeViolations(page)).toEqual([]);

  // A refund before the cutoff.
  await page.getByLabel('Reason for the refund').fill('Cannot make it');
  await page.getByRole('button', { name: 'Request a refund' }).click();
  await bookingShows(page, 'REFUNDED');
  expect(problems).toEqual({ cspViolations: [], errors: [] });
  await page.context().close();
}

describe('the fan journey in the web client', () => {
  it('serves the app at / under a strict CSP, and a new fan goes from sign-up to CONFIRMED and a refund (desktop)', async () => {
    await journey(DESKTOP, 'desktop');
  }, 240_000);

  it('works the same on a phone-sized screen', async () => {
    await journey(MOBILE, 'mobile');
  }, 240_000);

  it('shows the pre-queue before sales open, then the position moving live until admission', async () => {
    const later = await createCatalogSchedule(admin, {
      opensAt: new Date(Date.now() + 3 * 24 * 3600_000),
      sections: [{ section: 'Floor', rows: ['A'], seatsPerRow: 4, price: 40_000 }],
    });
    const fan = { ...(await signUpFan('Early')), name: 'Early' };
    const early = await openPage(chromium.browser, DESKTOP, fan);
    await early.page.goto(`${gatewayBase()}/schedules/${later.scheduleId}`);
    await early.page.getByRole('button', { name: 'Enter the waiting room' }).click();
    await early.page.locator('[data-state="pre-queue"]').waitFor();
    await early.page.screenshot({ path: artifactPath('web-pre-queue.png'), fullPage: true });
    expect(await axeViolations(early.page)).toEqual([]);
    await early.page.context().close();

    // An open schedule, paused, with two fans ahead: the third sees number 3, then fewer, then its turn.
    const open = await createCatalogSchedule(admin, {
      opensAt: new Date(Date.now() - 60_000),
      sections: [{ section: 'Floor', rows: ['A'], seatsPerRow: 4, price: 40_000 }],
    });
    await gql('mutation($s: ID!) { pauseQueue(scheduleId: $s) { paused } }', { s: open.scheduleId }, { token: admin });
    for (const name of ['Ahead 1', 'Ahead 2']) {
      const ahead = await signUpFan(name);
      await gql('mutation($s: ID!) { enterQueue(scheduleId: $s) { token } }', { s: open.scheduleId }, { token: ahead.token });
    }
    const third = await openPage(chromium.browser, DESKTOP, { ...(await signUpFan('Third')), name: 'Third' });
    await third.page.goto(`${gatewayBase()}/schedules/${open.scheduleId}`);
    await third.page.getByRole('button', { name: 'Enter the waiting room' }).click();
    await eventually(async () => (await third.page.getByTestId('queue-position').textContent()) === '3', 30_000, 'position 3');
    await third.page.screenshot({ path: artifactPath('web-waiting-room.png'), fullPage: true });
    // One admission a second: the position is pushed down, then the turn comes.
    await gql('mutation($s: ID!) { setQueuePolicy(scheduleId: $s, admitsPerSecond: 1, maxActive: 100) { paused } }', { s: open.scheduleId }, { token: admin });
    await gql('mutation($s: ID!) { resumeQueue(scheduleId: $s) { paused } }', { s: open.scheduleId }, { token: admin });
    const seen = new Set<string>();
    await eventually(
      async () => {
        const position = await third.page.getByTestId('queue-position').textContent({ timeout: 100 }).catch(() => null);
        if (position) seen.add(position);
        return third.page.locator('[data-state="admitted"]').isVisible();
      },
      60_000,
      'admission',
    );
    expect([...seen].some((position) => Number(position) < 3)).toBe(true);
    expect(third.problems).toEqual({ cspViolations: [], errors: [] });
    await third.page.context().close();
  }, 180_000);
});
