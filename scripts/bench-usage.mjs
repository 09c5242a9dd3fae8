#!/usr/bin/env node
// Benchmark of `exrelay usage`: generated protocol logs (scripts/generate-logs.mjs, at least 2 GB by default, in a
// temp folder kept for the next run), read by the built CLI with one thread and with every core, several runs
// each. Prints per run the wall time, MB/s, CPU seconds and MB per CPU-second (what one core reads), and the peak
// RSS of the whole process (worker threads included); medians; and a calibration loop before and after, because
// this machine's speed drifts.
//
//   npm run bench:usage                           # 2,048 MB, 3 runs per setting
//   npm run bench:usage -- --size 512 --runs 1 --jobs 1,2
//   npm run bench:usage -- --size 512 --public-senders 5000     # memory: the same senders, four times less log
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '2048' },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: `1,${availableParallelism()}` },
    dir: { type: 'string' },
    'public-senders': { type: 'string', default: '50000' },
  },
});
const BIN = 'dist/cli/bin.js';
if (!existsSync(BIN)) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });

const dir = values.dir ?? join(tmpdir(), `exrelay-bench-logs-${values.size}-${values['public-senders']}`);
const snapshot = `${dir}.snapshot.json`;
if (!existsSync(snapshot)) {
  rmSync(dir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      'scripts/generate-logs.mjs',
      '--size',
      values.size,
      '--public-senders',
      values['public-senders'],
      '--out',
      dir,
      '--snapshot',
      snapshot,
    ],
    { stdio: 'inherit' },
  );
}

function filesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}
const files = filesUnder(dir);
const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
const megabytes = bytes / 1e6;

/** A fixed CPU-bound loop: how fast this machine is right now. */
function calibrate() {
  const started = performance.now();
  let sink = 0;
  for (let index = 0; index < 3e8; index++) sink += index % 7;
  return `${(performance.now() - started).toFixed(0)} ms${sink < 0 ? '!' : ''}`;
}

const scratch = mkdtempSync(join(tmpdir(), 'exrelay-bench-usage-'));
// Loaded before the CLI: on exit it writes the process's peak RSS and CPU time (worker threads included).
const HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.EXRELAY_BENCH_USAGE, JSON.stringify({ maxRSS: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 })); });",
)}`;

function runOnce(jobs) {
  const usageFile = join(scratch, 'usage.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      HOOK,
      BIN,
      'usage',
      dir,
      '--against',
      snapshot,
      '--jobs',
      String(jobs),
      '--format',
      'json',
      '--output',
      join(scratch, 'report.json'),
      '--fail-on',
      'none',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, EXRELAY_BENCH_USAGE: usageFile },
      encoding: 'utf8',
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`exrelay usage exited ${result.status}: ${result.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  return { seconds, cpu: usage.cpu, rss: usage.maxRSS / 1024 };
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); calibration loop ${calibrate()}`,
);
console.log(`logs: ${files.length} files, ${megabytes.toFixed(0)} MB in ${dir}`);
const report = JSON.parse(
  spawnSync(
    process.execPath,
    [BIN, 'usage', dir, '--against', snapshot, '--format', 'json', '--fail-on', 'none'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  ).stdout,
);
console.log(
  `  ${report.summary.sessions.toLocaleString('en-US')} sessions, ${report.summary.clients.toLocaleString('en-US')} (connector, address) pairs, ${report.logs.problems.length} problems`,
);
for (const jobs of values.jobs.split(',').map(Number)) {
  const runs = Array.from({ length: Number(values.runs) }, () => runOnce(jobs));
  for (const run of runs)
    console.log(
      `  --jobs ${jobs}: ${run.seconds.toFixed(2)} s wall = ${(megabytes / run.seconds).toFixed(0)} MB/s; ${run.cpu.toFixed(2)} s CPU = ${(megabytes / run.cpu).toFixed(0)} MB per CPU-second; peak RSS ${run.rss.toFixed(0)} MB`,
    );
  const wall = median(runs.map((run) => run.seconds));
  const cpu = median(runs.map((run) => run.cpu));
  console.log(
    `--jobs ${jobs} median: ${(megabytes / wall).toFixed(0)} MB/s wall, ${(megabytes / cpu).toFixed(0)} MB per CPU-second, peak RSS ${median(runs.map((run) => run.rss)).toFixed(0)} MB`,
  );
}
console.log(`calibration loop after: ${calibrate()}`);
rmSync(scratch, { recursive: true, force: true });
