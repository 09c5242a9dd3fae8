/**
 * Tests in a real headless Chromium (Debian's package, /usr/bin/chromium). Without it they are skipped with a
 * note, except when EXRELAY_REQUIRE_BROWSER=1 (.ci/run installs Chromium and sets it): there a missing browser
 * is a failing test. Every page opened here records what a report page must never do: console messages, page
 * errors, dialogs, requests other than its own file, and Content-Security-Policy violations.
 */

import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../../scripts/lib/chromium.mjs';
import { describeRequiring, type Requirement } from '../support/required.js';

const BROWSER: Requirement = {
  what: `Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`,
  available: chromiumAvailable(),
  requiredBy: 'EXRELAY_REQUIRE_BROWSER',
};

export function describeWithBrowser(name: string, fn: () => void): void {
  describeRequiring(BROWSER, name, fn);
}

export interface Watched {
  page: Page;
  console: string[];
  errors: string[];
  dialogs: string[];
  /** Every request the page made, its own document included. */
  requests: string[];
}

/** Recorded in the page before any of its own script runs (init scripts are not subject to the page's CSP). */
declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

export async function openWatched(context: BrowserContext, url: string): Promise<Watched> {
  const page = await context.newPage();
  const watched: Watched = { page, console: [], errors: [], dialogs: [], requests: [] };
  page.on('console', (message) => watched.console.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => watched.requests.push(request.url()));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.__cspViolations?.push(`${event.violatedDirective}: ${event.blockedURI}`),
    );
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  return watched;
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__cspViolations ?? []);
}

export { launchChromium };
