import { readFileSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import {
  admitFreely,
  closeDatabases,
  createCatalogSchedule,
  eventually,
  launchChromium,
  logInAdmin,
  startIsolatedSystem,
  stopIsolatedSystem,
  testSystem,
  useTestSystem,
  watchPageProblems,
  type IsolatedSystem,
  type PageProblems,
  type SignedUpFan,
} from '@ticketing/test-support';

/** Helpers the web client's browser specs share: their browser and system, pages, sessions, seats, axe. */

/** A spec file's Chromium, set by the beforeAll its `use…` call registered: read it inside tests, not at load. */
export interface Chromium {
  readonly browser: Browser;
}

/** A spec file's own system (the helpers pointed at it) and its Chromium, both set by beforeAll. */
export interface BrowserSystem extends Chromium {
  readonly system: IsolatedSystem;
}

/** Chromium for this file's tests on the run's shared system: launched before them, closed after. */
export function useChromium(): Chromium {
  return browserHooks();
}

/**
 * A system of this file's own for state others must not see or share (`label` names its logs,
 * keys and topics; `env` goes on top of LOG_LEVEL, TEST_LOG_LEVEL or warn), which the shared
 * helpers (gql, gatewayBase, …) then use, and Chromium: started before the tests, stopped after.
 */
export function useBrowserSystem(label: string, env: Record<string, string> = {}): BrowserSystem {
  return browserHooks({ label, env: { LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn', ...env } });
}

/** One beforeAll and one afterAll, so the browser and pools close before the system stops. */
function browserHooks(own?: { label: string; env: Record<string, string> }): BrowserSystem {
  const set = {} as { browser: Browser; system: IsolatedSystem };
  beforeAll(async () => {
    if (own) {
      set.system = await startIsolatedSystem(own);
      useTestSystem(set.system);
    }
    set.browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await set.browser?.close();
    await closeDatabases();
    if (set.system) await stopIsolatedSystem(set.system);
  });
  return set;
}

export const gatewayBase = () => testSystem().serviceUrls['gateway']!;

export const MOBILE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

export interface OpenedPage {
  page: Page;
  problems: PageProblems;
}

/** A fresh context (its own storage, as another person's browser) with its problems recorded. */
export async function openPage(browser: Browser, options: BrowserContextOptions = DESKTOP, fan?: SignedUpFan & { name: string }): Promise<OpenedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = await watchPageProblems(page);
  if (fan) {
    // Signed in as the app would leave it after a log-in (the log-in itself is the journey spec's).
    const session = { token: fan.token, user: { id: fan.id, name: fan.name, email: fan.email, role: 'USER' } };
    await page.addInitScript(`localStorage.setItem('ticketing.session', ${JSON.stringify(JSON.stringify(session))})`);
  }
  return { page, problems };
}

/** A schedule on sale since a minute ago, one section of one row, its waiting room admitting everyone at once. */
export async function onSaleNow(section: { section: string; seatsPerRow: number; price: number }) {
  const { scheduleId, seats } = await createCatalogSchedule(await logInAdmin(), {
    opensAt: new Date(Date.now() - 60_000),
    sections: [{ ...section, rows: ['A'] }],
  });
  await admitFreely(scheduleId);
  return { scheduleId, seats };
}

/** The signed-in fan's page on the schedule, through the waiting room's button to their turn. */
export async function enterOnSale(page: Page, scheduleId: string): Promise<void> {
  await page.goto(`${gatewayBase()}/schedules/${scheduleId}`);
  await page.getByRole('button', { name: 'Enter the waiting room' }).click();
  await page.locator('[data-state="admitted"]').waitFor();
}

export const seat = (page: Page, seatId: string) => page.locator(`[data-seat-id="${seatId}"]`);

export async function seatStatus(page: Page, seatId: string): Promise<string | null> {
  return seat(page, seatId).getAttribute('data-status');
}

/** Waits until the page shows the booking in `status` (pushed over the socket, not reloaded). */
export async function bookingShows(page: Page, status: string, timeoutMs = 60_000): Promise<void> {
  await page.locator(`[data-testid="booking-status"][data-status="${status}"]`).waitFor({ timeout: timeoutMs });
}

/** A value planted in the page's memory: still there later means the page was never reloaded. */
export async function plantReloadMarker(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate('window.__notReloaded = true');
  return async () => (await page.evaluate('window.__notReloaded === true')) as boolean;
}

/** Presses Tab until the focused element's accessible name starts with `name`: reachable by keyboard. */
export async function tabTo(page: Page, name: string, maxPresses = 200): Promise<void> {
  for (let presses = 0; presses < maxPresses; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(
      `(() => { const el = document.activeElement; return el ? (el.getAttribute('aria-label') || el.textContent || '').trim() : ''; })()`,
    )) as string;
    if (focused.startsWith(name)) return;
  }
  throw new Error(`Tab never reached "${name}" in ${maxPresses} presses`);
}

let axeSource: string | undefined;

/**
 * axe-core's WCAG 2 A/AA rules on the page as it stands. Injected through the DevTools
 * protocol's evaluate, which the page's CSP (script-src 'self') does not govern.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`,
  )) as string[];
}

export { eventually };

/**
 * `eventually` for a condition on `page`: a timeout also says what the page was telling its user
 * (its alerts and status lines), so a CI log shows whether an action was refused or just never
 * showed up.
 */
export async function eventuallyOn<T>(page: Page, probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  try {
    return await eventually(probe, timeoutMs, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${await pageSays(page)}`);
  }
}

/** Where a page is and what it tells its user (alerts, status lines): for a failure message. */
export async function pageSays(page: Page): Promise<string> {
  const said = async (role: 'alert' | 'status') => (await page.getByRole(role).allTextContents().catch(() => [])).filter(Boolean);
  return `the page at ${page.url()}: alerts ${JSON.stringify(await said('alert'))}, status lines ${JSON.stringify(await said('status'))}`;
}
