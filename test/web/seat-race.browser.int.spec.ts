import { admit, artifactPath, gql, holdSeats, signUpFan } from '@ticketing/test-support';
import { enterOnSale, eventually, gatewayBase, onSaleNow, openPage, pageSays, plantReloadMarker, seat, seatStatus, useChromium, type OpenedPage } from './web-pages';

/**
 * Two fans in two browsers reach for the same seat: one holds it, the other is told and sees it
 * taken on the map, pushed by seatsUpdated, without reloading. A third browser that only watches
 * sees the same change.
 */

// Two browsers, not two contexts of one: each fan in a Chromium of their own.
const chromiums = [useChromium(), useChromium()];

it('two browsers race for one seat: exactly one HELD, the other sees it taken on the map without a reload', async () => {
  const { scheduleId, seats } = await onSaleNow({ section: 'Balcony', seatsPerRow: 8, price: 30_000 });
  const contested = seats[3]!;

  const fans = await Promise.all(['Racer A', 'Racer B'].map(async (name) => ({ ...(await signUpFan(name)), name })));
  const pages: OpenedPage[] = await Promise.all(fans.map((fan, index) => openPage(chromiums[index]!.browser, undefined, fan)));
  const stillLoaded = await Promise.all(
    pages.map(async ({ page }) => {
      await enterOnSale(page, scheduleId);
      await seat(page, contested.id).click();
      return plantReloadMarker(page);
    }),
  );
  // A watcher who is not shopping (admitted through the API, never clicks a seat).
  const watcher = await openPage(chromiums[0]!.browser, undefined, { ...(await admit(await signUpFan('Watcher'), scheduleId)), name: 'Watcher' });
  await watcher.page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
  await seat(watcher.page, contested.id).waitFor();
  expect(await seatStatus(watcher.page, contested.id)).toBe('AVAILABLE');
  const watcherLoaded = await plantReloadMarker(watcher.page);

  // Both holds are held back in the browsers until both were sent, then go on together. Otherwise
  // the first hold's push could reach the other page between Playwright's check that its button
  // is enabled and the click itself: the click lands on a disabled button, nothing is sent, and
  // that fan has neither outcome (seen twice in CI). Both requests still race on the server.
  let holdsSent = 0;
  let sendHolds!: () => void;
  const allHoldsSent = new Promise<void>((resolve) => (sendHolds = resolve));
  for (const { page } of pages) {
    await page.route(
      (url) => url.pathname === '/graphql',
      async (route) => {
        if (!(route.request().postData() ?? '').includes('holdSeats')) return route.continue();
        if ((holdsSent += 1) === pages.length) sendHolds();
        await allHoldsSent;
        return route.continue();
      },
    );
  }
  await Promise.all(pages.map(({ page }) => page.getByRole('button', { name: 'Hold 1 seat' }).click()));
  const outcomes = await Promise.all(
    pages.map(({ page }) =>
      Promise.race([
        page.waitForURL(/\/bookings\/[0-9a-f-]+$/).then(() => 'HELD' as const),
        page
          .getByRole('alert')
          .filter({ hasText: 'one of those seats was just taken' })
          .waitFor()
          .then(() => 'REFUSED' as const),
      ]).catch(async (error: Error) => {
        // Neither outcome in time: say what the page showed instead.
        throw new Error(`${error.message}; ${holdsSent} of ${pages.length} holds sent; ${await pageSays(page)}`);
      }),
    ),
  );
  expect([...outcomes].sort()).toEqual(['HELD', 'REFUSED']);
  const winner = pages[outcomes.indexOf('HELD')]!.page;
  const loser = pages[outcomes.indexOf('REFUSED')]!.page;
  await winner.locator('[data-testid="booking-status"][data-status="HELD"]').waitFor();

  // The loser's map and the watcher's: the seat turns HELD, pushed, with no reload.
  for (const page of [loser, watcher.page]) {
    await eventually(async () => (await seatStatus(page, contested.id)) === 'HELD', 30_000, 'the contested seat to show HELD');
  }
  expect(await seat(loser, contested.id).getAttribute('aria-pressed')).toBe('false');
  expect(await Promise.all([stillLoaded[outcomes.indexOf('REFUSED')]!(), watcherLoaded()])).toEqual([true, true]);
  await loser.screenshot({ path: artifactPath('web-race-loser.png'), fullPage: true });

  // The database agrees: one live booking holds the seat.
  const held = await gql<{ schedule: { seats: Array<{ id: string; status: string }> } }>('query($s: ID!) { schedule(id: $s) { seats { id status } } }', { s: scheduleId });
  expect(held.data?.schedule.seats.find((s) => s.id === contested.id)?.status).toBe('HELD');
  for (const { problems } of [...pages, watcher]) expect(problems.cspViolations).toEqual([]);
}, 120_000);

it('a seat a fan has chosen is held by someone else first: it leaves the selection and the fan is told why', async () => {
  const { scheduleId, seats } = await onSaleNow({ section: 'Balcony', seatsPerRow: 4, price: 30_000 });
  const chosen = seats[1]!;
  const { page } = await openPage(chromiums[0]!.browser, undefined, { ...(await signUpFan('Chooser')), name: 'Chooser' });
  await enterOnSale(page, scheduleId);
  await seat(page, chosen.id).click();
  await page.getByRole('button', { name: 'Hold 1 seat' }).waitFor();
  expect(await page.getByRole('alert').count()).toBe(0);

  // Another fan, through the API, holds it while the first is still deciding.
  expect((await holdSeats(await admit(await signUpFan(), scheduleId), scheduleId, [chosen.id])).booking?.status).toBe('HELD');

  await page.getByRole('alert').filter({ hasText: 'one of those seats was just taken' }).waitFor();
  expect(await seatStatus(page, chosen.id)).toBe('HELD');
  expect(await seat(page, chosen.id).getAttribute('aria-pressed')).toBe('false');
  expect(await page.getByRole('status').filter({ hasText: 'Choose 1 to 4 seats.' }).count()).toBe(1);
}, 60_000);
