/**
 * The HTML report in a real headless Chromium, opened from disk (file://) as an auditor would open it: the page
 * agrees with the JSON report, sorts and filters with mouse and keyboard, copies fixes exactly, prints, has no
 * serious accessibility violation in either colour scheme, makes no request and logs nothing; and hostile names
 * are shown as text while nothing they carry runs, with the page's Content-Security-Policy and without it.
 */

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Report } from '../../src/report/report.js';
import { CELL_LIMIT, shorten, visible } from '../../src/report/untrusted-text.js';
import {
  describeWithBrowser,
  expectAccessible,
  drawEverything,
  expectNothingInjected,
  expectQuiet,
  launchChromium,
  openWatched,
  rowTexts,
  select,
  writeBoth,
  type Watched,
} from '../helpers/browser.js';
import { anonymousUsersGroup, connector, grant, RELAY, snapshot } from '../support/builders.js';
import { HOSTILE_NAMES, HOSTILE_RANGES } from '../support/hostile-names.js';
import { runCli } from '../support/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'exrelay-html-'));

/** The same input as HTML (a file to open) and as the JSON report (what the page must agree with). */
function reports(inputs: string[], name: string): { url: string; json: Report } {
  const { url, json } = writeBoth(['analyze', ...inputs, '--fail-on', 'none'], join(temp, name));
  return { url, json: json as Report };
}

describeWithBrowser('the HTML report of the sample organisation in Chromium', () => {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let sample: { url: string; json: Report };
  let watched: Watched;
  let page: Page;

  beforeAll(async () => {
    sample = reports(['fixtures/orgs/sample'], 'sample');
    chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
    await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    watched = await openWatched(chromium.context, sample.url);
    page = watched.page;
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
  });

  it('shows the counts of the JSON report', async () => {
    const { summary } = sample.json;
    expect(await page.$$eval('#summary-counts li', (items) => items.map((item) => item.textContent))).toEqual(
      [
        `${summary.connectors} connectors`,
        `${summary.liveRelay} relay without authentication today`,
        `${summary.latentRelay} latent relay grants`,
        `${summary.unknownVerdict} unknown verdict`,
        `${summary.findings} findings`,
      ],
    );
    expect(await page.textContent('.chart title')).toBe(
      `Findings by severity: ${['critical', 'high', 'medium', 'low', 'info'].map((severity) => `${summary.bySeverity[severity as 'info']} ${severity}`).join(', ')}`,
    );
    expect(await page.textContent('#row-count')).toBe(
      `Showing 1–${summary.connectors} of ${summary.connectors} connectors.`,
    );
    for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const) {
      await select(page, 'finding-severity', severity);
      const count = summary.bySeverity[severity];
      expect(await page.textContent('#finding-count')).toMatch(
        new RegExp(`^${count} findings? of ${summary.findings}[;.]`),
      );
      expect(await page.locator('#finding-list > article').count()).toBe(Math.min(count, 25));
    }
    await select(page, 'finding-severity', '');
    expect(await page.textContent('#finding-count')).toBe(
      `${summary.findings} findings of ${summary.findings}; showing 1–25.`,
    );
    await expectQuiet(watched, sample.url);
  });

  it('lists every connector with the verdict, score and severity of the JSON report', async () => {
    expect(await rowTexts(page)).toEqual(
      sample.json.connectors.map((entry) => [
        entry.identity,
        entry.server,
        entry.enabled ? 'yes' : 'no',
        entry.relay.verdict + (entry.relay.latent ? ` (${entry.relay.latent})` : ''),
        entry.receives,
        expect.any(String),
        String(entry.score),
        entry.severity,
        String(sample.json.findings.filter((finding) => finding.connector === entry.identity).length),
      ]),
    );
  });

  it('sorts with the column headers, by mouse and by keyboard, and tells assistive technology', async () => {
    const scores = async () => (await rowTexts(page)).map((cells) => Number(cells[6]));
    await page.click('th[data-column="6"] button');
    expect(await page.getAttribute('th[data-column="6"]', 'aria-sort')).toBe('descending');
    const descending = sample.json.connectors.map((entry) => entry.score).sort((a, b) => b - a);
    expect(await scores()).toEqual(descending);
    await page.click('th[data-column="6"] button');
    expect(await page.getAttribute('th[data-column="6"]', 'aria-sort')).toBe('ascending');
    expect(await scores()).toEqual([...descending].reverse());

    await page.focus('th[data-column="0"] button');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('th[data-column="0"]', 'aria-sort')).toBe('ascending');
    expect(await page.getAttribute('th[data-column="6"]', 'aria-sort')).toBeNull();
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const names = sample.json.connectors.map((entry) => entry.identity).sort(collator.compare);
    expect((await rowTexts(page)).map((cells) => cells[0])).toEqual(names);
    await page.keyboard.press('Space');
    expect(await page.getAttribute('th[data-column="0"]', 'aria-sort')).toBe('descending');
    expect((await rowTexts(page)).map((cells) => cells[0])).toEqual([...names].reverse());
    expect(await page.textContent('#status')).toBe('Sorted by connector, descending.');
  });

  it('filters by text, server, severity and verdict, from the keyboard too', async () => {
    const identities = async () => (await rowTexts(page)).map((cells) => cells[0]).sort();
    const expected = (keep: (entry: Report['connectors'][number]) => boolean) =>
      sample.json.connectors
        .filter(keep)
        .map((entry) => entry.identity)
        .sort();

    // Keyboard only: Tab from the top of the page (a click on the title puts the starting point there) into
    // the search field, type, Tab on to the server list and type the start of a server's name.
    await page.click('h1');
    for (
      let tab = 0;
      tab < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'filter-text';
      tab++
    )
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-text');
    await page.keyboard.type('relay printers');
    expect(await identities()).toEqual(expected((entry) => entry.name === 'Relay Printers'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filter-server');
    await page.keyboard.type('PWEX02');
    expect(await page.inputValue('#filter-server')).toBe('PWEX02');
    expect(await identities()).toEqual(['PWEX02\\Relay Printers']);
    expect(await page.textContent('#row-count')).toBe('1 connector of 27 match; showing 1–1.');

    await page.fill('#filter-text', '');
    await select(page, 'filter-server', '');
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      await select(page, 'filter-severity', severity);
      expect(await identities()).toEqual(expected((entry) => entry.severity === severity));
    }
    await select(page, 'filter-severity', '');
    for (const verdict of ['relay', 'unknown', 'no-relay']) {
      await select(page, 'filter-verdict', verdict);
      expect(await identities()).toEqual(expected((entry) => entry.relay.verdict === verdict));
    }
    await select(page, 'filter-verdict', 'relay');
    await select(page, 'filter-server', 'PWEX01');
    await page.fill('#filter-text', '10.10.20');
    expect(await identities()).toEqual(
      expected(
        (entry) =>
          entry.relay.verdict === 'relay' &&
          entry.server === 'PWEX01' &&
          (entry.receives.includes('10.10.20') ||
            entry.remoteIPRanges.some((range) => range.text.includes('10.10.20'))),
      ),
    );
    await page.fill('#filter-text', 'no such connector');
    expect(await rowTexts(page)).toEqual([]);
    expect(await page.textContent('#row-count')).toBe('0 connectors of 27 match; showing 0.');
    await page.fill('#filter-text', '');
    await select(page, 'filter-server', '');
    await select(page, 'filter-verdict', '');
    expect(await rowTexts(page)).toHaveLength(27);
  });

  it('pages through the connectors', async () => {
    await select(page, 'page-size', '25');
    expect(await rowTexts(page)).toHaveLength(25);
    expect(await page.textContent('#page-label')).toBe('Page 1 of 2');
    expect(await page.isDisabled('#page-previous')).toBe(true);
    await page.click('#page-next');
    expect(await rowTexts(page)).toHaveLength(2);
    expect(await page.isDisabled('#page-next')).toBe(true);
    await page.click('#page-previous');
    await select(page, 'page-size', '50');
  });

  it("opens a connector's details from the keyboard: verdict and why, principals, ranges, what it receives, who takes from it, its findings", async () => {
    const index = sample.json.connectors.findIndex(
      (entry) => entry.identity === 'PWEX01\\Default Frontend PWEX01',
    );
    const entry = sample.json.connectors[index] as Report['connectors'][number];
    const button = `#row-${index} button.row`;
    await page.focus(button);
    await page.keyboard.press('Enter');
    expect(await page.getAttribute(button, 'aria-expanded')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(entry.identity);
    const detail = page.locator(`#detail-${index}`);
    expect(await page.getAttribute(button, 'aria-controls')).toBe(`detail-${index}`);
    const text = (await detail.textContent()) as string;
    expect(text).toContain(`Verdict: ${entry.relay.verdict}`);
    expect(text).toContain(entry.relay.basis);
    const tables = detail.locator('table');
    const principalCells = await tables
      .nth(0)
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [row.children[0]?.textContent, row.children[1]?.textContent]));
    expect(principalCells).toEqual(
      entry.relay.principals.map((principal) => [principal.user, principal.sid]),
    );
    const rangeCells = await tables
      .nth(1)
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.children[0]?.textContent,
          row.children[1]?.textContent,
          row.children[3]?.textContent,
        ]),
      );
    expect(rangeCells).toEqual(entry.remoteIPRanges.map((range) => [range.text, range.family, range.scope]));
    for (const range of entry.effectiveRanges) expect(text).toContain(range);
    expect(entry.takenBy.length).toBeGreaterThan(0);
    for (const taker of entry.takenBy) expect(text).toContain(`${taker.connector} takes`);
    const own = sample.json.findings.filter((finding) => finding.connector === entry.identity);
    expect(await detail.locator('article.finding').count()).toBe(own.length);

    // A connector that takes addresses is one activation away, wherever the filters and pages are.
    await page.fill('#filter-text', 'no such connector');
    await page.fill('#filter-text', 'Default Frontend PWEX01');
    const taker = entry.takenBy[0]?.connector as string;
    await detail.locator('button.row', { hasText: taker }).first().focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(taker);
    expect(await page.inputValue('#filter-text')).toBe('');

    await page.focus(button);
    await page.keyboard.press('Space');
    expect(await page.getAttribute(button, 'aria-expanded')).toBe('false');
    expect(await page.locator(`#detail-${index}`).count()).toBe(0);
  });

  it('copies a fix and its rollback exactly as the JSON report has them', async () => {
    const finding = sample.json.findings.find(
      (entry) => entry.remediation !== null && entry.rollback !== null,
    );
    if (!finding) throw new Error('the sample has a finding with a fix and a rollback');
    await page.fill('#finding-text', finding.fingerprint);
    const article = page.locator('#finding-list > article');
    expect(await article.count()).toBe(1);
    await article.locator('button.copy', { hasText: 'Copy fix' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(finding.remediation);
    expect(await page.textContent('#status')).toBe('The fix command is copied.');
    await article.locator('button.copy', { hasText: 'Copy rollback' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(finding.rollback);
    expect(await article.textContent()).toContain(finding.message);
    await page.fill('#finding-text', '');
  });

  it("links each finding to its check's explanation inside the page", async () => {
    const links = await page.$$eval('#finding-list a', (anchors) =>
      anchors.map((anchor) => anchor.getAttribute('href')),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const link of new Set(links)) {
      expect(link).toMatch(/^#check-[a-z-]+$/);
      expect(await page.locator(link as string).count()).toBe(1);
    }
    const checkIds = new Set(sample.json.findings.map((finding) => finding.checkId));
    expect(await page.$$eval('#checks article', (articles) => articles.map((article) => article.id))).toEqual(
      expect.arrayContaining([...checkIds].map((id) => `check-${id}`)),
    );
    expect(await page.textContent('#check-anonymous-relay')).toContain('docs/checks/anonymous-relay.md');
  });

  it('has no serious or critical accessibility violation (axe-core), light and dark, details open', async () => {
    await page.click('#row-2 button.row');
    await page.click('#row-6 button.row');
    await expectAccessible(page);
  });

  it('prints every row and finding the filters select, without controls', async () => {
    await select(page, 'page-size', '25');
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await rowTexts(page)).toHaveLength(27);
    expect(await page.locator('#finding-list > article').count()).toBe(sample.json.findings.length);
    for (const hidden of ['.controls', '.pager', 'button.copy'])
      expect(
        await page
          .locator(hidden)
          .first()
          .evaluate((element) => getComputedStyle(element).display),
      ).toBe('none');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await page.emulateMedia({ media: 'screen' });
    expect(await rowTexts(page)).toHaveLength(25);
    await select(page, 'page-size', '50');
  });

  it('made no request but for its own file, and logged nothing', async () => {
    expect(watched.requests).toEqual([sample.url]);
    await expectQuiet(watched, sample.url);
  });

  it('says what it needs in a viewer that runs no script, and still shows the headline and counts', async () => {
    const noScript = await launchChromium({ javaScriptEnabled: false });
    try {
      const tab = await noScript.context.newPage();
      await tab.goto(sample.url);
      expect(await tab.isVisible('#needs-script')).toBe(true);
      expect(await tab.textContent('#needs-script')).toContain('--format markdown');
      // The same first line as the table report's.
      const table = runCli(['analyze', 'fixtures/orgs/sample']).stdout;
      expect(await tab.textContent('#summary-line')).toBe(table.split('\n')[0]);
      expect(await tab.locator('#rows tr').count()).toBe(0);
    } finally {
      await noScript.close();
    }
  });
});

/**
 * Every hostile name as a connector (on a server with a hostile name too), as a principal holding the relay
 * right, as an accepted domain and as the source's description; the hostile RemoteIPRanges entries on one more.
 */
function hostileSnapshotFile(): string {
  const server = '<script>window.__exrelayInjected = "server"</script>';
  const connectors = HOSTILE_NAMES.map(({ name }, index) =>
    connector({
      name,
      server: index % 2 === 0 ? 'EX01' : server,
      remoteIPRanges: [`10.${index}.0.0/24`],
      permissions: [
        ...anonymousUsersGroup(),
        grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: 'S-1-5-7' }),
        grant(`CONTOSO\\${name}`, RELAY, { sid: `S-1-5-21-1-2-3-${1000 + index}` }),
      ],
    }),
  );
  connectors.push(connector({ name: 'Ranges', remoteIPRanges: [...HOSTILE_RANGES] }));
  const file = join(temp, 'hostile-snapshot.json');
  writeFileSync(
    file,
    JSON.stringify(
      snapshot(connectors, {
        source: { method: 'files', description: HOSTILE_NAMES.map(({ name }) => name).join(' '), tool: null },
        acceptedDomains: HOSTILE_NAMES.slice(0, 12).map(({ name }, index) => ({
          name,
          domainName: `d${index}.example`,
          domainType: 'Authoritative',
          isDefault: index === 0,
        })),
      }),
    ),
  );
  return file;
}

describeWithBrowser('hostile names in the HTML report', () => {
  let hostile: { url: string; json: Report };
  beforeAll(() => {
    hostile = reports([hostileSnapshotFile()], 'hostile');
  }, 60_000);

  for (const policy of ['with', 'without'] as const)
    it(`shows every name as text and runs, loads or logs nothing (${policy} the page's Content-Security-Policy)`, async () => {
      const chromium = await launchChromium({
        viewport: { width: 1280, height: 900 },
        bypassCSP: policy === 'without',
      });
      try {
        const watched = await openWatched(chromium.context, hostile.url);
        const { page } = watched;
        await select(page, 'page-size', '250');
        expect((await rowTexts(page)).map((cells) => cells[0])).toEqual(
          hostile.json.connectors.map((entry) => visible(shorten(entry.identity, CELL_LIMIT))),
        );
        // Every connector's details and every finding drawn at once (the print view), then hover and focus
        // everything an injected handler could have hung on.
        await drawEverything(page);
        expect(await page.locator('tr.detail').count()).toBe(hostile.json.connectors.length);
        expect(await page.locator('#finding-list > article').count()).toBe(hostile.json.findings.length);

        const principals = hostile.json.connectors.flatMap((entry) =>
          entry.relay.principals.map((principal) => principal.user),
        );
        const pageText = (await page.textContent('main')) as string;
        for (const user of principals.filter((name) => name.length < 1000))
          expect(pageText).toContain(visible(user));
        expect(await page.textContent('header')).toContain(visible(HOSTILE_NAMES[1]?.name as string));
        await expectNothingInjected(page);
        await expectQuiet(watched, hostile.url);
      } finally {
        await chromium.close();
      }
    }, 120_000);
});
