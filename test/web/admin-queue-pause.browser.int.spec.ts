import { admit, artifactPath, createCatalogSchedule, gql, logInAdmin, signUpFan } from '@ticketing/test-support';
import { openAdminConsole } from './admin-pages';
import { gatewayBase, openPage, plantReloadMarker, useChromium } from './web-pages';

/**
 * Issue 12's required live test of the console: an admin pauses the waiting room while a fan is
 * in line, and the fan's page (another browser context, the fan's own waiting room) says the line
 * is on hold, pushed over its socket without a reload; resuming puts the fan back in line.
 */

const chromium = useChromium();

it('an admin pausing the queue while a fan waits: the fan sees it paused, then in line again, without a reload', async () => {
  const adminToken = await logInAdmin();
  const { scheduleId } = await createCatalogSchedule(adminToken, {
    opensAt: new Date(Date.now() - 60_000),
    sections: [{ section: 'Floor', rows: ['A'], seatsPerRow: 4, price: 40_000 }],
  });
  // One fan shopping fills the only place: whoever comes next waits in line with a number.
  const policy = await gql('mutation($s: ID!) { setQueuePolicy(scheduleId: $s, admitsPerSecond: 5, maxActive: 1) { paused } }', { s: scheduleId }, { token: adminToken });
  expect(policy.errors).toBeUndefined();
  await admit(await signUpFan('Shopping'), scheduleId);

  const fan = await openPage(chromium.browser, undefined, { ...(await signUpFan('Waiting')), name: 'Waiting' });
  await fan.page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
  await fan.page.getByRole('button', { name: 'Enter the waiting room' }).click();
  await fan.page.locator('[data-state="in-line"]').waitFor();
  const fanNotReloaded = await plantReloadMarker(fan.page);

  const admin = await openAdminConsole(chromium.browser);
  await admin.page.goto(`${gatewayBase()}/admin/schedules/${scheduleId}`);
  await admin.page.getByTestId('queue-paused').waitFor();
  await admin.page.getByRole('button', { name: 'Pause the queue' }).click();
  await admin.page.locator('[data-testid="queue-paused"][data-paused="true"]').waitFor();

  await fan.page.locator('[data-state="paused"]').waitFor();
  expect(await fan.page.getByTestId('queue-position').textContent()).toBe('1');
  await fan.page.screenshot({ path: artifactPath('web-admin-paused-fan.png'), fullPage: true });
  expect(await fanNotReloaded()).toBe(true);

  await admin.page.getByRole('button', { name: 'Resume the queue' }).click();
  await admin.page.locator('[data-testid="queue-paused"][data-paused="false"]').waitFor();
  await fan.page.locator('[data-state="in-line"]').waitFor();
  expect(await fanNotReloaded()).toBe(true);

  expect(fan.problems).toEqual({ cspViolations: [], errors: [] });
  expect(admin.problems).toEqual({ cspViolations: [], errors: [] });
  await Promise.all([fan.page.context().close(), admin.page.context().close()]);
}, 180_000);
