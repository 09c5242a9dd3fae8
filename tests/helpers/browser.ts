/**
 * Tests in a real headless Chromium (Debian's package, /usr/bin/chromium). Without it they are skipped with a
 * note, except when EXRELAY_REQUIRE_BROWSER=1 (.ci/run installs Chromium and sets it): there a missing browser
 * is a failing test. Every page opened here records what a report page must never do: console messages, page
 * errors, dialogs, requests other than its own file, and Content-Security-Policy violations.
 */

import { expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../../scripts/lib/chromium.mjs';
import { describeRequiring, type Requirement } from '../support/required.js';
import { runCli } from '../support/run-cli.js';

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

/** Chromium (desktop size unless `options` say otherwise) with `url` open and watched; `close` ends the browser. */
export async function openInChromium(
  url: string,
  options: Parameters<typeof launchChromium>[0] = { viewport: { width: 1280, height: 900 } },
): Promise<Watched & { close(): Promise<void> }> {
  const chromium = await launchChromium(options);
  try {
    return { ...(await openWatched(chromium.context, url)), close: () => chromium.close() };
  } catch (error) {
    await chromium.close();
    throw error;
  }
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__cspViolations ?? []);
}

export { launchChromium };

/**
 * One exrelay command's report written twice, as HTML (the page to open) and as JSON (what the page must agree
 * with). `args` is the command without --format and --output; `stem` is the path without its extension.
 */
export function writeBoth(args: string[], stem: string): { url: string; json: unknown } {
  for (const format of ['html', 'json']) {
    const written = runCli([...args, '--format', format, '--output', `${stem}.${format}`]);
    expect({ format, status: written.status, stdout: written.stdout }).toEqual({
      format,
      status: 0,
      stdout: '',
    });
  }
  return { url: pathToFileURL(`${stem}.html`).href, json: JSON.parse(readFileSync(`${stem}.json`, 'utf8')) };
}

/** Nothing a report page may do: log, throw, open a dialog, load anything, break its own policy. */
export async function expectQuiet(watched: Watched, url: string): Promise<void> {
  expect({
    console: watched.console,
    errors: watched.errors,
    dialogs: watched.dialogs,
    requests: watched.requests.filter((request) => request !== url),
    violations: await cspViolations(watched.page),
  }).toEqual({ console: [], errors: [], dialogs: [], requests: [], violations: [] });
}

/** The table's rows as the page shows them (details rows left out), each as its cells' text. */
export function rowTexts(page: Page): Promise<string[][]> {
  return page.$$eval('#rows > tr:not(.detail)', (rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')),
  );
}

export async function select(page: Page, id: string, value: string): Promise<void> {
  await page.selectOption(`#${id}`, value);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core, from node_modules (never a CDN), run on the page as it is: how many rules passed, and every serious
 * or critical violation. Evaluated through the DevTools protocol, so the page's own policy does not block it.
 */
export async function axeViolations(page: Page): Promise<{ passes: number; violations: string[] }> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResults {
      passes: unknown[];
      violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }>;
    }
    const axe = (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe;
    const results = await axe.run(document);
    return {
      passes: results.passes.length,
      violations: results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${violation.impact} ${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`,
        ),
    };
  });
}

/** No serious or critical axe-core violation in the light scheme nor in the dark one; ends in the light one. */
export async function expectAccessible(page: Page): Promise<void> {
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
      colorScheme === 'dark',
    );
    const result = await axeViolations(page);
    expect(result.passes).toBeGreaterThan(10);
    expect([colorScheme, result.violations]).toEqual([colorScheme, []]);
  }
}

/** Tags the pages write themselves, in markup or from their script; anything else came from the data. */
const OWN_TAGS = new Set(
  'html head meta title style body a header h1 h2 h3 h4 h5 dl dt dd p strong main section div ul li span svg line rect text label input select option table caption thead tbody tr th td button code pre article footer script'.split(
    ' ',
  ),
);

/**
 * After everything on the page is drawn: no injected code ran (it would set window.__exrelayInjected), and the
 * document holds only the page's own elements, no event handler attribute, no link but to its own sections, one
 * script and one stylesheet.
 */
export async function expectNothingInjected(page: Page): Promise<void> {
  const found = await page.evaluate(() => ({
    injected: (window as unknown as { __exrelayInjected?: unknown }).__exrelayInjected ?? null,
    tags: [...new Set([...document.querySelectorAll('*')].map((element) => element.localName))],
    handlers: [...document.querySelectorAll('*')].flatMap((element) =>
      [...element.attributes]
        .filter((attribute) => attribute.name.startsWith('on'))
        .map((attribute) => attribute.name),
    ),
    links: [...document.querySelectorAll('[href], [src]')].map(
      (element) => element.getAttribute('href') ?? element.getAttribute('src'),
    ),
    scripts: document.scripts.length,
    styles: document.styleSheets.length,
  }));
  expect(found).toEqual({
    injected: null,
    tags: found.tags.filter((tag) => OWN_TAGS.has(tag)),
    handlers: [],
    links: found.links.filter((link) => /^#[a-z][a-z0-9-]*$/.test(link ?? '')),
    // The page's own script; its data element is removed once read.
    scripts: 1,
    styles: 1,
  });
}

/** Opens every row's details (each activation redraws the table) and draws every finding (the print view). */
export async function drawEverything(page: Page): Promise<void> {
  await select(page, 'page-size', '250');
  await page.evaluate(() => {
    const closed = () => document.querySelector<HTMLButtonElement>('#rows button.row[aria-expanded="false"]');
    for (let button = closed(); button !== null; button = closed()) button.click();
    window.dispatchEvent(new Event('beforeprint'));
  });
  await page.mouse.move(200, 200);
  await page.mouse.move(600, 400);
  for (let tab = 0; tab < 30; tab++) await page.keyboard.press('Tab');
}
