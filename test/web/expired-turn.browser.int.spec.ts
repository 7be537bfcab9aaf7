import {
  admitFreely,
  artifactPath,
  createCatalogSchedule,
  errorCode,
  gql,
  logInAdmin,
  signUpFan,
} from '@ticketing/test-support';
import { axeViolations, gatewayBase, openPage, plantReloadMarker, seat, useBrowserSystem } from './web-pages';

/**
 * The fan's turn running out, in Chromium, on a system of this file's own whose admitted (ACTIVE)
 * tickets last ACTIVE_TTL_SECONDS: the fan is admitted, sees the countdown, and without a reload
 * the page turns to "Your turn has ended", the seats can no longer be chosen, and the API agrees
 * (the ticket is EXPIRED, a hold with it is refused); getting back in line admits them again.
 */
const ACTIVE_TTL_SECONDS = 8;

const own = useBrowserSystem('webexpiry', { QUEUE_ACTIVE_TTL_SECONDS: String(ACTIVE_TTL_SECONDS) });

it('an admitted fan whose turn runs out sees the expired state pushed live, and can get back in line', async () => {
  const { scheduleId, seats } = await createCatalogSchedule(await logInAdmin(), {
    opensAt: new Date(Date.now() - 60_000),
    sections: [{ section: 'Floor', rows: ['A'], seatsPerRow: 4, price: 25_000 }],
  });
  await admitFreely(scheduleId);
  const fan = { ...(await signUpFan('Slow Chooser')), name: 'Slow Chooser' };
  const { page, problems } = await openPage(own.browser, undefined, fan);
  await page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
  await page.getByRole('button', { name: 'Enter the waiting room' }).click();
  await page.locator('[data-state="admitted"]').waitFor();
  await page.getByText('Your turn ends in').waitFor();
  const firstSeat = seat(page, seats[0]!.id);
  // A seat chosen but not held yet when the turn runs out.
  await firstSeat.click();
  await page.getByRole('button', { name: 'Hold 1 seat' }).waitFor();
  const queueToken = (await page.evaluate(`sessionStorage.getItem('ticketing.queue.${scheduleId}')`)) as string;
  expect(queueToken).toBeTruthy();
  const stillLoaded = await plantReloadMarker(page);

  // The turn runs out while the fan looks: pushed, not reloaded.
  const expired = page.locator('[data-state="expired"]');
  await expired.waitFor({ timeout: (ACTIVE_TTL_SECONDS + 30) * 1000 });
  expect(await expired.getByText('Your turn has ended. You can get back in line.').count()).toBe(1);
  expect(await page.getByText('Your turn ends in').count()).toBe(0);
  expect(await page.getByRole('button', { name: /^Hold / }).count()).toBe(0);
  expect(await firstSeat.isDisabled()).toBe(true);
  expect(await stillLoaded()).toBe(true);
  await page.screenshot({ path: artifactPath('web-turn-expired.png'), fullPage: true });
  expect(await axeViolations(page)).toEqual([]);

  // The API agrees: the ticket is EXPIRED and holds nothing.
  const ticket = await gql<{ queueTicket: { status: string } | null }>('query T($t: String!) { queueTicket(token: $t) { status } }', { t: queueToken }, { token: fan.token });
  expect(ticket.data?.queueTicket?.status).toBe('EXPIRED');
  const hold = await gql('mutation H($s: ID!, $seats: [ID!]!, $q: String!) { holdSeats(scheduleId: $s, seatIds: $seats, queueToken: $q) { id } }', { s: scheduleId, seats: [seats[0]!.id], q: queueToken }, { token: fan.token });
  expect(errorCode(hold)).toBe('QUEUE_TOKEN_INVALID');

  // Back in line: a new ticket, admitted again, the seats choosable again.
  await expired.getByRole('button', { name: 'Enter the waiting room again' }).click();
  await page.locator('[data-state="admitted"]').waitFor();
  const newToken = (await page.evaluate(`sessionStorage.getItem('ticketing.queue.${scheduleId}')`)) as string;
  expect(newToken).not.toBe(queueToken);
  const renewed = await gql<{ queueTicket: { status: string } | null }>('query T($t: String!) { queueTicket(token: $t) { status } }', { t: newToken }, { token: fan.token });
  expect(renewed.data?.queueTicket?.status).toBe('ACTIVE');
  expect(await firstSeat.isEnabled()).toBe(true);
  expect(problems).toEqual({ cspViolations: [], errors: [] });
  await page.context().close();
}, 120_000);
