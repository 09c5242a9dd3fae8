/**
 * The HTML report of an audit with history and approved exceptions, in a real headless Chromium opened from
 * disk: accepted findings are marked with their reason, owner, ticket and expiry; expired and exceeded ones say
 * they count again; the changes since the baseline are there, with or without the page's script; the change
 * marks filter the findings; no serious accessibility violation; and hostile names, reasons, owners and tickets
 * are shown as text while nothing they carry runs. The page is written by the same writer the CLI uses.
 */

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderHtmlChunks } from '../../src/report/html/html-report.js';
import type { Report } from '../../src/report/report.js';
import {
  describeWithBrowser,
  drawEverything,
  expectAccessible,
  expectNothingInjected,
  expectQuiet,
  launchChromium,
  openInChromium,
  select,
} from '../helpers/browser.js';
import { changingAuditWithExceptions, hostileAudit } from '../support/audit-report.js';
import { HOSTILE_NAMES } from '../support/hostile-names.js';

const temp = mkdtempSync(join(tmpdir(), 'exrelay-history-html-'));

function pageFile(report: Report, name: string): string {
  const file = join(temp, `${name}.html`);
  writeFileSync(file, [...renderHtmlChunks(report)].join(''));
  return pathToFileURL(file).href;
}

describeWithBrowser('the HTML report of an audit with history and exceptions in Chromium', () => {
  const report = changingAuditWithExceptions();
  let url: string;
  let watched: Awaited<ReturnType<typeof openInChromium>>;
  let page: Page;

  beforeAll(async () => {
    url = pageFile(report, 'audit');
    watched = await openInChromium(url);
    ({ page } = watched);
  }, 60_000);

  afterAll(() => watched?.close());

  it('marks the accepted finding with its reason, owner, ticket and expiry, and counts it apart', async () => {
    await page.fill('#finding-text', 'Relay Printers');
    const article = page.locator('#finding-list > article', { hasText: 'anonymous-relay' }).first();
    expect(await article.locator('h3 .change-accepted').textContent()).toBe('accepted');
    expect(await article.locator('p.exception').textContent()).toBe(
      'Accepted until 2099-12-31 (it-ops@contoso.com, CHG-1): Printers relay until the migration',
    );
    expect(await page.textContent('#summary-counts')).toContain('1 accepted by an exception (not counted)');
    await page.fill('#finding-text', '');
  });

  it('says where an exception expired or was outgrown, and lists the stale entry', async () => {
    await page.fill('#finding-text', 'expired');
    expect(await page.locator('#finding-list > article .change-expired').first().textContent()).toBe(
      'expired',
    );
    await page.fill('#finding-text', 'scope-exceeded');
    expect(await page.locator('#finding-list p.exception-scope-exceeded').textContent()).toContain(
      "Exception no longer covers it: the connector's scope or the finding's severity grew beyond what was approved",
    );
    await select(page, 'finding-check', 'exception');
    await page.fill('#finding-text', '');
    const messages = await page.$$eval('#finding-list > article > p.text', (items) =>
      items.map((item) => item.textContent ?? ''),
    );
    expect(messages).toHaveLength(3);
    expect(messages).toContainEqual(expect.stringContaining('The exception at line 25'));
    expect(await page.textContent('#checks')).toContain('Approved exception out of date');
    await select(page, 'finding-check', '');
  });

  it('filters the findings by what changed since the baseline', async () => {
    const diff = report.changes!.diff!;
    await select(page, 'finding-mark', 'widened');
    expect(await page.textContent('#finding-count')).toMatch(
      new RegExp(`^${diff.findings.widened.length} findings of ${report.findings.length}[;.]`),
    );
    expect(await page.locator('#finding-list > article h3 .change-widened').count()).toBe(
      diff.findings.widened.length,
    );
    await select(page, 'finding-mark', 'new');
    expect(await page.locator('#finding-list > article').count()).toBe(diff.findings.introduced.length);
    await select(page, 'finding-mark', '');
  });

  it('shows the changes since the baseline, reached from the headline', async () => {
    await page.click('dl.facts a[href="#changes"]');
    expect(await page.isVisible('#changes-heading')).toBe(true);
    expect(await page.textContent('#changes-heading')).toBe(
      'Changes since 2025-03-03T06:00:00.000Z (snapshots/exrelay-snapshot-20250303-060000.json)',
    );
    const text = await page.textContent('#changes');
    expect(text).toContain('HIGH anonymous-relay on EX01\\Relay Apps');
    expect(text).toContain('RemoteIPRanges + 10.0.0.0/8 (16,777,216 addresses)');
    expect(text).toContain('EX01\\Relay Scanners → EX01\\Relay Scanners Floor 2 (renamed)');
    expect(await page.textContent('#change-alert')).toMatch(/^Change alert: \d+ findings new or widened/);
  });

  it('has no serious or critical accessibility violation, and made no request nor logged anything', async () => {
    await expectAccessible(page);
    await expectQuiet(watched, url);
  });

  it('keeps the changes section in a viewer that runs no script', async () => {
    const noScript = await launchChromium({ javaScriptEnabled: false });
    try {
      const tab = await noScript.context.newPage();
      await tab.goto(url);
      expect(await tab.isVisible('#changes')).toBe(true);
      expect(await tab.textContent('#change-alert')).toMatch(/^Change alert: /);
    } finally {
      await noScript.close();
    }
  });
});

describeWithBrowser('hostile names in the history and exceptions of the HTML report', () => {
  for (const policy of ['with', 'without'] as const)
    it(`shows every name, reason, owner and ticket as text and runs nothing (${policy} the page's Content-Security-Policy)`, async () => {
      // Half the exceptions approve the /24 (exceeded by the /16), half approve any scope (still accepted).
      const report = hostileAudit((index) => index % 2 === 0);
      const url = pageFile(report, `hostile-${policy}`);
      const watched = await openInChromium(url, { bypassCSP: policy === 'without' });
      try {
        const { page } = watched;
        await drawEverything(page);
        expect(await page.locator('#finding-list p.exception').count()).toBe(HOSTILE_NAMES.length);
        expect(await page.locator('#finding-list .change-scope-exceeded').count()).toBe(
          Math.ceil(HOSTILE_NAMES.length / 2),
        );
        expect(await page.locator('#changes li[data-fingerprint]').count()).toBe(
          report.changes!.diff!.findings.introduced.length + report.changes!.diff!.findings.widened.length,
        );
        await expectNothingInjected(page);
        await expectQuiet(watched, url);
      } finally {
        await watched.close();
      }
    }, 120_000);
});
