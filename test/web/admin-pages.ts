import type { Browser, Page } from 'playwright-core';
import { testSystem } from '@ticketing/test-support';
import { gatewayBase, openPage, type OpenedPage } from './web-pages';

/** The admin console's browser helpers: the seeded admin signs in through the app, as a person would. */

export const adminCredentials = () => ({
  email: testSystem().env['ADMIN_EMAIL'] ?? 'admin@ticketing.local',
  password: testSystem().env['ADMIN_PASSWORD'] ?? 'admin-password-change-me',
});

/** A fresh browser context signed in as the seeded admin on the console's catalog. */
export async function openAdminConsole(browser: Browser): Promise<OpenedPage> {
  const opened = await openPage(browser);
  const { page } = opened;
  const { email, password } = adminCredentials();
  await page.goto(`${gatewayBase()}/admin`);
  // Not signed in: the console sends the visitor to log in and brings them back.
  await page.waitForURL(/\/signin\?next=%2Fadmin$/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page
    .getByRole('heading', { name: 'Catalog' })
    .waitFor()
    .catch(async (error: unknown) => {
      throw new Error(`the console did not open after the admin's log-in; the page says: ${await page.locator('main').innerText()}`, { cause: error });
    });
  return opened;
}

/** The seat's button on the admin map by its place, e.g. ('Floor', 'A', 1). */
export const adminSeat = (page: Page, section: string, row: string, number: number) =>
  page.getByRole('button', { name: new RegExp(`^${section}, row ${row}, seat ${number},`) });

/** A figure of the live dashboard (data-testid dashboard-<name>), as shown. */
export async function figure(page: Page, name: string): Promise<string> {
  return ((await page.getByTestId(`dashboard-${name}`).textContent()) ?? '').trim();
}

/** A datetime-local value `days` from now (the browser reads it in its own zone, as typed). */
export function localInput(fromNowMs: number): string {
  const time = new Date(Date.now() + fromNowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}
