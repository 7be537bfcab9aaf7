import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../../../infra/services';

/**
 * Debian's Chromium, which infra/stack/up.sh apt-installs: playwright-core's own browser download
 * does not work on these machines. CHROMIUM_PATH points elsewhere where it lives elsewhere.
 */
export const chromiumPath = () => process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Headless and quiet: no GPU, no sandbox (tests run as root), no background calls home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Chromium, or fails (a browser test never skips) saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: run \`bash infra/stack/up.sh\` as root (it apt-installs chromium) or set CHROMIUM_PATH`);
  }
  // Loaded here, not at the top: every integration spec imports this package, few drive a browser.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** What a page reported that a test wants to see empty; the lists fill while the page runs. */
export interface PageProblems {
  /** `securitypolicyviolation` events: "directive blocked-uri (source:line)". */
  cspViolations: string[];
  /** console.error messages and uncaught exceptions. */
  errors: string[];
}

/** Starts recording a page's problems; call before the first `goto`. */
export async function watchPageProblems(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { cspViolations: [], errors: [] };
  await page.exposeFunction('__reportCspViolation', (violation: string) => problems.cspViolations.push(violation));
  // A string: this project type-checks without the DOM library.
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.__reportCspViolation(event.effectiveDirective + ' ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')'));`);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(message.text().slice(0, 500));
  });
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  return problems;
}

/** A path under .run/artifacts/ (git-ignored) for screenshots and traces a person may want to see. */
export function artifactPath(file: string): string {
  const dir = path.join(ROOT, '.run', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
}
