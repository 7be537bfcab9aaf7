import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, SERVICES, spawnService, waitUntilReady } from '../../infra/services';
import {
  artifactPath,
  closeDatabases,
  eventually,
  freePort,
  gql,
  launchChromium,
  logInAdmin,
  openSchedule,
  signUpFan,
  testSystem,
  watchPageProblems,
  type PageProblems,
} from '@ticketing/test-support';

/** The playground as an admin uses it: headless Chromium against this run's gateway. */

// Strings evaluated in the page (this project type-checks without the DOM library).
const editorIn = (container: string) => `document.querySelector(${JSON.stringify(`${container} .CodeMirror`)}).CodeMirror`;
const QUERY_EDITOR = editorIn('.graphiql-query-editor');
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
const RESPONSE = `${editorIn('.graphiql-response')}.getValue()`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await closeDatabases();
});

interface OpenedPlayground {
  page: Page;
  problems: PageProblems;
  csp: string;
  /** The answer to GraphiQL's first introspection, sent with empty headers. */
  introspection: { data?: { __schema?: unknown } | null; errors?: Array<{ extensions?: { code?: string } }> };
}

async function openPlayground(gatewayBase = testSystem().serviceUrls['gateway']!): Promise<OpenedPlayground> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems = await watchPageProblems(page);
  const introspected = page.waitForResponse((response) => (response.request().postData() ?? '').includes('IntrospectionQuery'));
  const response = await page.goto(`${gatewayBase}/playground`);
  const introspection = (await (await introspected).json()) as OpenedPlayground['introspection'];
  // GraphiQL's fonts are data: URIs inside its CSS: wait until they loaded (or were refused).
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  return { page, problems, csp: response?.headers()['content-security-policy'] ?? '', introspection };
}

/** Types into GraphiQL's headers tab the way a person pastes a token. */
async function typeHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  const text = JSON.stringify(headers);
  await page.click(`${HEADERS_EDITOR} .CodeMirror`);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  expect(await page.evaluate(`${editorIn(HEADERS_EDITOR)}.getValue()`)).toBe(text);
}

/** The response pane once it shows `text`, parsed. Polled from here: waitForFunction would eval in the page, which its CSP refuses. */
async function responseShows(page: Page, text: string): Promise<unknown> {
  const shown = await eventually(async () => {
    const value = (await page.evaluate(RESPONSE)) as string;
    return value.includes(text) && value;
  }, 30_000, `the response pane to show ${text}`);
  return JSON.parse(shown);
}

describe('the playground in a browser', () => {
  it('loads under its Content-Security-Policy with no violation and no console error, dialogs included', async () => {
    const { page, problems, csp, introspection } = await openPlayground();
    expect(introspection.data?.__schema).toBeDefined();
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`connect-src 'self' ws://${new URL(testSystem().gatewayUrl).host}`);
    await page.click('button[aria-label="Open settings dialog"]');
    await page.waitForSelector('[role="dialog"]');
    await page.keyboard.press('Escape');
    expect(await page.locator('.graphiql-query-editor').textContent()).toContain('mutation LogIn');
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.close();
  });

  it('subscribes over graphql-ws with the Authorization of its headers tab, and a changed header applies to the next run', async () => {
    const scheduleId = await openSchedule();
    const admin = await logInAdmin();
    await gql('mutation($s: ID!) { pauseQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
    const owner = await signUpFan('Owner');
    const other = await signUpFan('Other');
    const entered = await gql<{ enterQueue: { token: string } }>(
      'mutation($s: ID!) { enterQueue(scheduleId: $s) { token } }',
      { s: scheduleId },
      { token: owner.token },
    );
    const ticket = entered.data!.enterQueue.token;

    const { page, problems } = await openPlayground();
    await page.evaluate(
      `${QUERY_EDITOR}.setValue(${JSON.stringify(`subscription Ticket { queueTicketUpdated(token: "${ticket}") { status position } }`)})`,
    );

    // Another fan's token reaches the gateway's connectionParams: the ticket is refused as theirs.
    await typeHeaders(page, { Authorization: `Bearer ${other.token}` });
    await page.click('.graphiql-execute-button');
    expect(await responseShows(page, 'QUEUE_TOKEN_INVALID')).toMatchObject({ errors: [{ extensions: { code: 'QUEUE_TOKEN_INVALID' } }] });

    // The owner's token: the schema is fetched again with it, and the next subscription uses it.
    const reintrospected = page.waitForRequest(
      (request) =>
        (request.postData() ?? '').includes('IntrospectionQuery') && request.headers()['authorization'] === `Bearer ${owner.token}`,
    );
    await typeHeaders(page, { Authorization: `Bearer ${owner.token}` });
    await reintrospected;
    await page.click('.graphiql-execute-button');
    expect(await responseShows(page, 'WAITING')).toEqual({ data: { queueTicketUpdated: { status: 'WAITING', position: 1 } } });

    // Pushed, not polled: the queue moves and the open subscription shows the admission.
    await gql('mutation($s: ID!) { resumeQueue(scheduleId: $s) { paused } }', { s: scheduleId }, { token: admin });
    expect(await responseShows(page, 'ACTIVE')).toEqual({ data: { queueTicketUpdated: { status: 'ACTIVE', position: null } } });
    await page.screenshot({ path: artifactPath('playground-subscription.png') });

    await page.click('.graphiql-execute-button'); // stops the subscription
    expect(problems).toEqual({ cspViolations: [], errors: [] });
    await page.close();
  }, 120_000);

  it('stays usable in production, where only an admin may introspect: the prefilled LogIn, then the schema for the admin', async () => {
    const { env, runId } = testSystem();
    const port = await freePort();
    const gateway = spawnService(
      SERVICES.find((service) => service.name === 'gateway')!,
      { ...process.env, ...env, NODE_ENV: 'production', GATEWAY_PORT: String(port), GATEWAY_METRICS_PORT: '0' },
      path.join(ROOT, '.run', 'test-logs', runId, 'playground-production-gateway.log'),
    );
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`, 60_000, gateway);
      await usePlaygroundInProduction(`http://127.0.0.1:${port}`);
    } finally {
      await stop(gateway);
    }
  }, 120_000);
});

async function usePlaygroundInProduction(gatewayBase: string): Promise<void> {
  const { page, problems, introspection } = await openPlayground(gatewayBase);
  expect(introspection.data?.__schema).toBeUndefined();
  expect(introspection.errors?.length).toBeGreaterThan(0);
  expect(await page.locator('.graphiql-query-editor').textContent()).toContain('mutation LogIn');

  // The cursor in LogIn, Ctrl-Enter: the prefilled example signs the admin in without a schema.
  await page.evaluate(`(() => { const editor = ${QUERY_EDITOR}; editor.focus(); editor.setCursor({ line: 3, ch: 4 }); })()`);
  await page.keyboard.press('Control+Enter');
  const signedIn = (await responseShows(page, '"token"')) as { data: { logIn: { token: string; user: { role: string } } } };
  expect(signedIn.data.logIn.user.role).toBe('ADMIN');

  const schemaForAdmin = page.waitForResponse(
    (response) =>
      (response.request().postData() ?? '').includes('IntrospectionQuery') &&
      response.request().headers()['authorization'] === `Bearer ${signedIn.data.logIn.token}`,
  );
  await typeHeaders(page, { Authorization: `Bearer ${signedIn.data.logIn.token}` });
  expect(((await (await schemaForAdmin).json()) as { data?: { __schema?: unknown } }).data?.__schema).toBeDefined();
  await page.click('button[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector('.graphiql-doc-explorer-root-type');
  await page.screenshot({ path: artifactPath('playground-production-admin.png') });

  // The anonymous introspection was refused over HTTP (the browser logs that status); nothing else.
  expect(problems.cspViolations).toEqual([]);
  expect(problems.errors.filter((error) => !error.startsWith('Failed to load resource'))).toEqual([]);
  await page.close();
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
