/**
 * The usage report (exrelay usage) as a page in Chromium, from the sample organisation's protocol logs: the same
 * counts, rows and clients as its JSON report, the table works, no serious accessibility violation, nothing
 * requested or logged. The table, findings and escaping are the analyze page's (tests/browser/html-report.test.ts).
 */

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { shownLine } from '../../src/report/html/page-text.js';
import { visible } from '../../src/report/untrusted-text.js';
import type { UsageReport } from '../../src/usage/usage-report.js';
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
import { HOSTILE_NAMES } from '../support/hostile-names.js';

describeWithBrowser('the usage report as a page in Chromium', () => {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let url: string;
  let json: UsageReport;
  let watched: Watched;
  let page: Page;

  beforeAll(async () => {
    const stem = join(mkdtempSync(join(tmpdir(), 'exrelay-usage-html-')), 'usage');
    ({ url, json } = writeBoth(
      ['usage', 'fixtures/logs/sample', '--against', 'fixtures/orgs/sample', '--fail-on', 'none'],
      stem,
    ) as { url: string; json: UsageReport });
    chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
    watched = await openWatched(chromium.context, url);
    page = watched.page;
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
  });

  it('shows the counts, connectors and findings of the JSON report', async () => {
    const { summary } = json;
    expect(await page.$$eval('#summary-counts li', (items) => items.map((item) => item.textContent))).toEqual(
      [
        `${summary.connectorsWithSessions} connectors with sessions`,
        `${summary.clients} clients`,
        `${summary.sessions} sessions`,
        `${summary.relayedRecipients} recipients relayed without authentication`,
        `${summary.relayedAuthenticatedRecipients} relayed after AUTH`,
        `${summary.relayRefused} relay refused`,
        `${summary.findings} findings`,
      ],
    );
    const rows = await rowTexts(page);
    expect(rows.map((cells) => [cells[0], cells[4], cells[5], cells[6], cells[8]])).toEqual(
      json.connectors.map((connector) => [
        connector.identity,
        String(connector.totals.clients),
        String(connector.totals.sessions),
        String(connector.totals.recipients.relayed),
        String(connector.totals.recipients.relayRefused),
      ]),
    );
    expect(await page.textContent('#finding-count')).toMatch(
      new RegExp(`^${summary.findings} findings of ${summary.findings}`),
    );
  });

  it("sorts by sessions, filters by log evidence, and lists a connector's clients", async () => {
    await page.click('th[data-column="5"] button');
    const sessions = (await rowTexts(page)).map((cells) => Number(cells[5]));
    expect(sessions).toEqual([...sessions].sort((a, b) => b - a));
    const busiest = json.connectors.reduce((best, connector) =>
      connector.totals.sessions > best.totals.sessions ? connector : best,
    );
    expect((await rowTexts(page))[0]?.[0]).toBe(busiest.identity);
    await page.click('#rows tr:first-child button.row');
    const clients = await page.$$eval('#rows tr.detail table tbody tr', (rows) =>
      rows.map((row) => row.children[0]?.textContent),
    );
    expect(clients.sort()).toEqual(busiest.clients.map((client) => client.address).sort());

    await select(page, 'filter-log', 'logging off');
    expect((await rowTexts(page)).map((cells) => cells[0]).sort()).toEqual(
      json.connectors
        .filter((connector) => connector.evidence === 'logging-off')
        .map((connector) => connector.identity)
        .sort(),
    );
    await select(page, 'filter-log', '');
  });

  it('has no serious or critical accessibility violation, light and dark, a connector open', async () => {
    await expectAccessible(page);
  });

  it('made no request but for its own file, and logged nothing', async () => {
    expect(watched.requests).toEqual([url]);
    await expectQuiet(watched, url);
  });
});

/**
 * Protocol logs naming connectors the snapshot does not have, with every hostile name (less line breaks, which a
 * log line cannot hold) as the connector and as the client's EHLO name: each session relays one recipient.
 */
function hostileLogs(folder: string): void {
  const quote = (value: string) => (/[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = [
    '#Software: Microsoft Exchange Server',
    '#Version: 15.0.0.0',
    '#Log-type: SMTP Receive Protocol Log',
    '#Date: 2026-03-09T08:00:00.000Z',
    '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context',
  ];
  HOSTILE_NAMES.filter(({ name }) => !/[\r\n]/.test(name)).forEach(({ name }, index) => {
    const session = `08DE5B01000${String(index).padStart(5, '0')}`;
    const line = (sequence: number, event: string, data: string, context = '') =>
      `2026-03-09T08:00:${String(index % 60).padStart(2, '0')}.000Z,${quote(`PWEX01\\${name}`)},${session},${sequence},10.1.1.11:25,10.9.9.${index % 250}:4${index},${event},${quote(data)},${quote(context)}`;
    lines.push(
      line(0, '+', ''),
      line(1, '*', 'SMTPSubmit SMTPAcceptAnyRecipient', 'Set Session Permissions'),
      line(2, '<', `EHLO ${name}`),
      line(3, '<', 'MAIL FROM:<app@proseware.com>'),
      line(4, '<', 'RCPT TO:<someone@elsewhere.example>'),
      line(5, '>', '250 2.1.0 Sender OK'),
      line(6, '>', '250 2.1.5 Recipient OK'),
      line(7, '-', '', 'Local'),
    );
  });
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'RECV2026030908-1.LOG'), `${lines.join('\r\n')}\r\n`);
}

describeWithBrowser('hostile names in the usage page', () => {
  it("shows connectors and clients' EHLO names from the logs as text, and runs, loads or logs nothing", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'exrelay-usage-hostile-'));
    hostileLogs(join(folder, 'logs', 'PWEX01'));
    const { url, json } = writeBoth(
      [
        'usage',
        join(folder, 'logs'),
        '--against',
        'fixtures/orgs/sample',
        '--fail-on',
        'none',
        '--allow-partial',
      ],
      join(folder, 'usage'),
    ) as { url: string; json: UsageReport };
    const named = json.connectors.filter((connector) => !connector.inSnapshot);
    expect(named.length).toBeGreaterThan(40);
    const chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
    try {
      const watched = await openWatched(chromium.context, url);
      await drawEverything(watched.page);
      const text = (await watched.page.textContent('main')) as string;
      for (const connector of named) {
        expect(text).toContain(shownLine(connector.identity));
        for (const client of connector.clients)
          for (const helo of client.heloNames.filter((entry) => entry.name.length < 100))
            expect(text).toContain(visible(helo.name));
      }
      await expectNothingInjected(watched.page);
      await expectQuiet(watched, url);
    } finally {
      await chromium.close();
    }
  }, 120_000);
});
