import { admit, gql, restartService, signUpFan } from '@ticketing/test-support';
import { eventually, gatewayBase, onSaleNow, openPage, plantReloadMarker, seat, seatStatus, useBrowserSystem } from './web-pages';

/**
 * A lost WebSocket: the gateway the page talks to is stopped and started again (a system of this
 * file's own, so no other spec loses its gateway). While it is down a seat is held through the
 * booking subgraph's own port, so the seatsUpdated message for it goes to nobody: the page can
 * only learn of it by resynchronising (re-reading the seat map) after it reconnects, which it
 * must do by itself, without a reload.
 */

const own = useBrowserSystem('webreconnect');

it('given a fan on the seat map, when the gateway goes away and comes back, then the page reconnects and shows a seat held meanwhile, without a reload', async () => {
  const { scheduleId, seats } = await onSaleNow({ section: 'Stalls', seatsPerRow: 6, price: 20_000 });
  const watched = seats[2]!;
  const viewer = { ...(await admit(await signUpFan('Watcher'), scheduleId)), name: 'Watcher' };
  const other = await admit(await signUpFan('Other fan'), scheduleId);

  const { page, problems } = await openPage(own.browser, undefined, viewer);
  await page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
  await seat(page, watched.id).waitFor();
  expect(await seatStatus(page, watched.id)).toBe('AVAILABLE');
  const stillLoaded = await plantReloadMarker(page);

  await restartService(own.system, 'gateway', async () => {
    // The page notices the socket is gone and says so.
    await page.getByText('Connection lost. Reconnecting…').waitFor({ timeout: 30_000 });
    const held = await gql<{ holdSeats: { status: string } }>(
      'mutation H($s: ID!, $seats: [ID!]!, $q: String!) { holdSeats(scheduleId: $s, seatIds: $seats, queueToken: $q) { status } }',
      { s: scheduleId, seats: [watched.id], q: other.queueToken },
      { token: other.token, url: `${own.system.serviceUrls['booking']!}/graphql` },
    );
    expect(held.data?.holdSeats.status).toBe('HELD');
  });

  await eventually(async () => (await seatStatus(page, watched.id)) === 'HELD', 60_000, 'the seat held while the gateway was down to show HELD');
  expect(await page.getByText('Connection lost. Reconnecting…').count()).toBe(0);
  expect(await stillLoaded()).toBe(true);
  expect(problems.cspViolations).toEqual([]);
}, 240_000);
