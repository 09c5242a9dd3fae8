#!/usr/bin/env node
// The HTML report of the 10,000-connector benchmark organisation (scripts/generate-org.mjs, as npm run bench
// uses it): how long exrelay takes to write it against the JSON report of the same input (interleaved runs,
// medians), how large it is, and what it costs in Debian's headless Chromium: time until the table is usable,
// filter, sort, page and details latency (to the next painted frame), JavaScript heap, DOM size and the
// browser's memory.
//
//   node scripts/bench-html.mjs                 # 10,000 connectors, 3 runs
//   node scripts/bench-html.mjs --scale 0.1 --runs 5
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from './lib/chromium.mjs';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, runs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);
const BIN = 'dist/cli/bin.js';
if (!chromiumAvailable()) {
  console.error(`Chromium is needed at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`);
  process.exit(2);
}
if (!existsSync(BIN)) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
mkdirSync('.bench', { recursive: true });

const organisation = `.bench/org-${values.scale}x.json`;
if (!existsSync(organisation))
  execFileSync(
    process.execPath,
    ['scripts/generate-org.mjs', '--scale', values.scale, '--out', organisation],
    {
      stdio: 'inherit',
    },
  );

const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A fixed CPU-bound loop: this shared machine's speed drifts, and this shows how fast it was during the run. */
function calibrate() {
  const started = performance.now();
  let sink = 0;
  for (let index = 0; index < 3e8; index++) sink += index % 7;
  return `${(performance.now() - started).toFixed(0)} ms${sink < 0 ? '!' : ''}`;
}

/** One `exrelay analyze`, timed, with its peak resident memory (GNU time). */
function write(format) {
  const output = `${organisation}.report.${format}`;
  const started = process.hrtime.bigint();
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      BIN,
      'analyze',
      organisation,
      '--format',
      format,
      '--output',
      output,
      '--fail-on',
      'none',
    ],
    { encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`exrelay exited ${result.status}: ${result.stderr}`);
  return { seconds, peakMb: Number(result.stderr.trim().split('\n').at(-1)) / 1024, output };
}

console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); calibration loop ${calibrate()}`,
);
console.log(`organisation: ${organisation} (${mb(statSync(organisation).size)})`);

// --- writing: HTML against JSON, interleaved so that both see the same machine ---------------------------------
const times = { html: [], json: [] };
let page = '';
for (let run = 0; run < runs; run++) {
  for (const format of ['json', 'html']) {
    const { seconds, peakMb, output } = write(format);
    times[format].push({ seconds, peakMb });
    if (format === 'html') page = output;
  }
}
const summary = (format) => {
  const entries = times[format];
  return `median ${median(entries.map((entry) => entry.seconds)).toFixed(2)} s (runs: ${entries.map((entry) => entry.seconds.toFixed(2)).join(', ')}), peak RSS ${median(entries.map((entry) => entry.peakMb)).toFixed(0)} MB, ${mb(statSync(`${organisation}.report.${format}`).size)}`;
};
console.log(`write JSON: ${summary('json')}`);
console.log(`write HTML: ${summary('html')}`);
console.log(
  `HTML / JSON writing time: ${(median(times.html.map((entry) => entry.seconds)) / median(times.json.map((entry) => entry.seconds))).toFixed(2)}`,
);
const json = JSON.parse(readFileSync(`${organisation}.report.json`, 'utf8'));
console.log(`report: ${json.summary.connectors} connectors, ${json.summary.findings} findings`);

// --- the page in Chromium ----------------------------------------------------------------------------------------

/**
 * Resident memory of the browser and every process it started, from ps, by process type (browser, zygote,
 * renderer, gpu-process, utility): the renderer is the page's own cost.
 */
function browserRssMb(profile) {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, rss, ...args] = line.trim().split(/\s+/);
      return { pid, ppid, rss: Number(rss), args: args.join(' ') };
    });
  const root = table.find((entry) => entry.args.includes(profile) && !entry.args.includes('--type='));
  if (!root) return null;
  const tree = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of table)
      if (!tree.has(entry.pid) && tree.has(entry.ppid)) {
        tree.add(entry.pid);
        grew = true;
      }
  }
  const byType = {};
  for (const entry of table.filter((row) => tree.has(row.pid))) {
    const type = /--type=([a-z-]+)/.exec(entry.args)?.[1] ?? 'browser';
    byType[type] = (byType[type] ?? 0) + entry.rss / 1024;
  }
  return byType;
}

const rssText = (byType) =>
  byType === null
    ? 'unknown'
    : `${Object.values(byType)
        .reduce((total, value) => total + value, 0)
        .toFixed(0)} MB (${Object.entries(byType)
        .map(([type, value]) => `${type} ${value.toFixed(0)}`)
        .join(', ')})`;

/** Runs `action` in the page and returns the milliseconds until the frame after it is painted. */
async function latency(tab, action) {
  return tab.evaluate(async (source) => {
    const started = performance.now();
    new Function(source)();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - started;
  }, action);
}

const openings = [];
const measures = { filter: [], server: [], sort: [], page: [], details: [] };
let memory = null;
let blankMemory = null;
for (let run = 0; run < runs; run++) {
  const chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
  try {
    const tab = await chromium.context.newPage();
    if (run === 0) {
      await tab.goto('about:blank');
      blankMemory = browserRssMb(chromium.profile);
    }
    const requests = [];
    tab.on('request', (request) => requests.push(request.url()));
    const started = performance.now();
    await tab.goto(pathToFileURL(page).href, { timeout: 120_000 });
    await tab.waitForSelector('html[data-ready="true"]', { timeout: 120_000 });
    const wall = performance.now() - started;
    const inPage = await tab.evaluate(() => ({
      ready: performance.getEntriesByName('exrelay-ready')[0]?.startTime ?? null,
      firstPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
    }));
    openings.push({ wall, ...inPage });
    for (const needle of ['relay', 'EX0042', '10.1.', 'anonymous logon', 'no such connector'])
      measures.filter.push(
        await latency(
          tab,
          `const box = document.getElementById('filter-text'); box.value = ${JSON.stringify(needle)}; box.dispatchEvent(new Event('input'));`,
        ),
      );
    await latency(
      tab,
      `const box = document.getElementById('filter-text'); box.value = ''; box.dispatchEvent(new Event('input'));`,
    );
    for (const index of [1, 2, 3]) {
      measures.server.push(
        await latency(
          tab,
          `const list = document.getElementById('filter-server'); list.selectedIndex = ${index}; list.dispatchEvent(new Event('change'));`,
        ),
      );
    }
    await latency(
      tab,
      `const list = document.getElementById('filter-server'); list.selectedIndex = 0; list.dispatchEvent(new Event('change'));`,
    );
    // Score, connector, severity, addresses (the analyze page's columns 6, 0, 7, 5).
    for (const column of [6, 0, 7, 5])
      measures.sort.push(
        await latency(tab, `document.querySelector('th[data-column="${column}"] button').click();`),
      );
    for (let step = 0; step < 3; step++)
      measures.page.push(await latency(tab, `document.getElementById('page-next').click();`));
    for (let row = 0; row < 3; row++)
      measures.details.push(
        await latency(tab, `document.querySelectorAll('#rows button.row')[${row * 2}].click();`),
      );
    if (requests.length !== 1) throw new Error(`the page made requests: ${requests.join(', ')}`);
    if (run === 0) {
      const cdp = await chromium.context.newCDPSession(tab);
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('Performance.enable');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name) => metrics.find((entry) => entry.name === name)?.value ?? 0;
      memory = {
        heapMb: metric('JSHeapUsedSize') / 1e6,
        nodes: metric('Nodes'),
        browserMb: browserRssMb(chromium.profile),
      };
    }
  } finally {
    await chromium.close();
  }
}

const ms = (values) => `median ${median(values).toFixed(0)} ms, worst ${Math.max(...values).toFixed(0)} ms`;
console.log(
  `open: usable table after median ${median(openings.map((entry) => entry.ready)).toFixed(0)} ms (runs: ${openings.map((entry) => entry.ready.toFixed(0)).join(', ')}); first paint ${median(openings.map((entry) => entry.firstPaint)).toFixed(0)} ms; goto→ready as seen by the test driver ${median(openings.map((entry) => entry.wall)).toFixed(0)} ms`,
);
console.log(`filter by text (5 queries × ${runs}): ${ms(measures.filter)}`);
console.log(`filter by server: ${ms(measures.server)}`);
console.log(`sort a column: ${ms(measures.sort)}`);
console.log(`next page: ${ms(measures.page)}`);
console.log(`open a connector's details: ${ms(measures.details)}`);
if (memory)
  console.log(
    `memory after opening (garbage collected): JS heap ${memory.heapMb.toFixed(0)} MB, ${memory.nodes.toLocaleString('en-US')} DOM nodes; Chromium RSS ${rssText(memory.browserMb)}; the same browser on about:blank: ${rssText(blankMemory)}`,
  );
console.log(`calibration loop after: ${calibrate()}`);
