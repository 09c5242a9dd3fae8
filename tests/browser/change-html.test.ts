/**
 * The diff report (exrelay diff) as a page in Chromium: connectors added, removed and widened are marked, the
 * findings carry new / widened / resolved / narrowed and filter by it, the counts are the JSON report's, no
 * serious accessibility violation, nothing requested or logged, and a hostile connector name stays text. The
 * what-if review uses the same page (tests/cli/html-format.test.ts runs it through PowerShell's parser).
 */

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { DiffReport } from '../../src/report/diff/diff-report.js';
import { visible } from '../../src/report/untrusted-text.js';
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
import { anonymousUsersGroup, connector, grant, RELAY, SID, snapshot } from '../support/builders.js';

const HOSTILE = '</script><script>window.__exrelayInjected = "diff"</script>\u202eyaleR';

const relay = (name: string, guid: string, ranges: string[]) =>
  connector({
    name,
    guid,
    remoteIPRanges: ranges,
    permissions: [
      ...anonymousUsersGroup(),
      grant('NT AUTHORITY\\ANONYMOUS LOGON', RELAY, { sid: SID.anonymous }),
    ],
    permissionGroups: ['AnonymousUsers', 'Custom'],
  });

/** Before: three relay connectors. After: one widened from a /24 to a /16, one removed, one hostile one added. */
function organisations(folder: string): [string, string] {
  const kept = relay('Relay Apps', '1b4e28ba-2fa1-11d2-883f-0016d3cca427', ['10.20.1.0/24']);
  const steady = relay('Relay Printers', '2b4e28ba-2fa1-11d2-883f-0016d3cca427', ['10.30.1.5']);
  const retired = relay('Relay Old Fax', '3b4e28ba-2fa1-11d2-883f-0016d3cca427', ['10.40.0.0/24']);
  const before = join(folder, 'before.json');
  const after = join(folder, 'after.json');
  writeFileSync(before, JSON.stringify(snapshot([kept, steady, retired])));
  writeFileSync(
    after,
    JSON.stringify(
      snapshot([
        { ...kept, remoteIPRanges: ['10.20.0.0/16'] },
        steady,
        relay(HOSTILE, '4b4e28ba-2fa1-11d2-883f-0016d3cca427', ['10.50.0.7']),
      ]),
    ),
  );
  return [before, after];
}

describeWithBrowser('the diff report as a page in Chromium', () => {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let url: string;
  let json: DiffReport;
  let watched: Watched;
  let page: Page;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-diff-html-'));
    ({ url, json } = writeBoth(
      ['diff', ...organisations(folder), '--fail-on', 'none'],
      join(folder, 'diff'),
    ) as {
      url: string;
      json: DiffReport;
    });
    chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
    watched = await openWatched(chromium.context, url);
    page = watched.page;
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
  });

  it('marks each connector that changes, as the JSON report has it', async () => {
    expect(json.summary).toMatchObject({ connectorsAdded: 1, connectorsRemoved: 1, connectorsChanged: 1 });
    const rows = await rowTexts(page);
    expect(rows.map((cells) => [cells[0], cells[1]])).toEqual(
      json.connectors.map((entry) => [
        visible(entry.identity.after ?? entry.identity.before ?? ''),
        entry.status,
      ]),
    );
    const widened = rows.findIndex((cells) => cells[0] === 'EX01\\Relay Apps');
    await page.click(`#row-${widened} button.row`);
    const changes = await page.$$eval(`#detail-${widened} ul.changes li`, (items) =>
      items.map((item) => item.textContent),
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        'widened receives 65,280 more addresses: 10.20.0.0/24, 10.20.2.0-10.20.255.255',
        'changed severity: medium → high',
        'added RemoteIPRanges 10.20.0.0/16 (65,536 addresses)',
        'removed RemoteIPRanges 10.20.1.0/24 (256 addresses)',
      ]),
    );
    expect(await page.locator(`#row-${widened} .change-mark`).textContent()).toBe('changed');
  });

  it('shows the finding counts and filters the findings by what changed about them', async () => {
    const { summary } = json;
    expect(await page.$$eval('#summary-counts li', (items) => items.map((item) => item.textContent))).toEqual(
      [
        `${summary.findingsIntroduced} findings introduced`,
        `${summary.findingsWidened} widened`,
        `${summary.findingsResolved} resolved`,
        `${summary.findingsNarrowed} narrowed`,
        `${summary.connectorsAdded} connectors added`,
        `${summary.connectorsRemoved} removed`,
        `${summary.connectorsChanged} changed`,
      ],
    );
    for (const [mark, list] of [
      ['new', json.findings.introduced],
      ['widened', json.findings.widened],
      ['resolved', json.findings.resolved],
    ] as const) {
      expect(list.length).toBeGreaterThan(0);
      await select(page, 'finding-mark', mark);
      const shown = await page.$$eval('#finding-list > article', (articles) =>
        articles.map((article) => article.querySelector('.change-mark')?.textContent),
      );
      expect(shown).toEqual(list.map(() => mark));
    }
    await select(page, 'finding-mark', '');
  });

  it('has no serious or critical accessibility violation, light and dark, a connector open', async () => {
    await expectAccessible(page);
  });

  it('shows the hostile name as text, runs nothing, requests nothing and logs nothing', async () => {
    await drawEverything(page);
    expect(await page.textContent('main')).toContain(visible(HOSTILE));
    await expectNothingInjected(page);
    expect(watched.requests).toEqual([url]);
    await expectQuiet(watched, url);
  });
});
