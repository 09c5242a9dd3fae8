#!/usr/bin/env node
// Screenshots of the sample organisation's HTML report for the README (docs/images/), at a desktop and a narrow
// (phone) width, in Debian's headless Chromium. Run after a change to the page; the test suite never runs it.
//
//   node scripts/html-screenshots.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from './lib/chromium.mjs';

if (!chromiumAvailable()) {
  console.error(`Chromium is needed at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`);
  process.exit(2);
}
if (!existsSync('dist/cli/bin.js')) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });

const folder = mkdtempSync(join(tmpdir(), 'exrelay-screenshots-'));
const page = join(folder, 'sample.html');
execFileSync(
  process.execPath,
  [
    'dist/cli/bin.js',
    'analyze',
    'fixtures/orgs/sample',
    '--format',
    'html',
    '--output',
    page,
    '--fail-on',
    'none',
  ],
  { stdio: 'inherit' },
);

mkdirSync('docs/images', { recursive: true });
const shots = [
  // The top of the page with one connector's details open; on a phone, the table with another one open.
  {
    file: 'docs/images/html-report-desktop.png',
    width: 1280,
    height: 1500,
    open: 'PWEX01\\Relay Branch Offices',
    top: 'h1',
  },
  {
    file: 'docs/images/html-report-narrow.png',
    width: 390,
    height: 1400,
    open: 'PWEX01\\Relay Marketing SaaS',
    top: '#table-section',
  },
];
const chromium = await launchChromium();
try {
  for (const shot of shots) {
    const tab = await chromium.context.newPage();
    await tab.setViewportSize({ width: shot.width, height: shot.height });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('html[data-ready="true"]');
    await tab.locator('#rows button.row', { hasText: shot.open }).click();
    await tab.locator(shot.top).evaluate((element) => element.scrollIntoView());
    await tab.screenshot({ path: shot.file });
    console.log(`wrote ${shot.file} (${shot.width}×${shot.height})`);
    await tab.close();
  }
} finally {
  await chromium.close();
  rmSync(folder, { recursive: true, force: true });
}
