import type { Browser, Locator, Page } from 'playwright-core';
import { gql, logInAdmin, testSystem } from '@ticketing/test-support';
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

/**
 * A fresh browser context signed in through the app's log-in form as any account (e.g. a second
 * admin), landing on `next` (a console path). openAdminConsole is this for the seeded admin on /admin.
 */
export async function openConsoleAs(browser: Browser, credentials: { email: string; password: string }, next = '/admin'): Promise<OpenedPage> {
  const opened = await openPage(browser);
  const { page } = opened;
  await page.goto(`${gatewayBase()}${next}`);
  await page.waitForURL(/\/signin\?next=/);
  await page.getByLabel('E-mail').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === next);
  return opened;
}

/** One GraphQL call as the seeded admin through the gateway; fails the test on any error. */
export async function asAdmin<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await gql<T>(query, variables, { token: await logInAdmin() });
  if (!response.data || response.errors) throw new Error(`admin call failed: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** The notice (role="status") or problem (role="alert") inside `scope` once it says `text`. */
export const saysStatus = (scope: Page | Locator, text: string | RegExp) => scope.getByRole('status').filter({ hasText: text }).waitFor();
export const saysAlert = (scope: Page | Locator, text: string | RegExp) => scope.getByRole('alert').filter({ hasText: text }).waitFor();
