#!/usr/bin/env node
// End-to-end benchmark: `exrelay analyze` of a generated organisation (read the file, analyse, write the JSON
// report), at 1x and 10x the size, median of several runs. Prints the figures and the 10x/1x ratio.
//
//   npm run bench                 # 1x = 10,000 connectors, 50,000 ranges, 200,000 ACEs; 10x
//   npm run bench -- --runs 5 --skip-10x
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'skip-10x': { type: 'boolean', default: false } },
});
const runs = Number(values.runs);
const BIN = 'dist/cli/bin.js';
if (!existsSync(BIN)) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
mkdirSync('.bench', { recursive: true });

function organisation(scale) {
  const file = `.bench/org-${scale}x.json`;
  if (!existsSync(file))
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', String(scale), '--out', file], {
      stdio: 'inherit',
    });
  return file;
}

function timeOnce(file) {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [BIN, 'analyze', file, '--format', 'json', '--output', `${file}.report.json`, '--fail-on', 'none'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`exrelay exited ${result.status} on ${file}`);
  return seconds;
}

function measure(scale, count) {
  const file = organisation(scale);
  const times = Array.from({ length: count }, () => timeOnce(file)).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const size = (statSync(file).size / 1e6).toFixed(0);
  console.log(
    `${String(scale).padStart(3)}x  ${size.padStart(4)} MB in  best ${times[0].toFixed(2)} s, median ${median.toFixed(2)} s  (runs: ${times.map((t) => t.toFixed(2)).join(', ')})`,
  );
  return { best: times[0], median };
}

/**
 * A fixed CPU-bound loop, timed before and after: a shared virtual machine changes speed from minute to minute,
 * and this shows how fast this one was while the benchmark ran.
 */
function calibrate() {
  const started = performance.now();
  let sink = 0;
  for (let index = 0; index < 3e8; index++) sink += index % 7;
  return `${(performance.now() - started).toFixed(0)} ms${sink < 0 ? '!' : ''}`;
}

console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); calibration loop ${calibrate()}`,
);
const one = measure(1, runs);
if (!values['skip-10x']) {
  const ten = measure(10, 1);
  console.log(
    `10x / 1x = ${(ten.median / one.median).toFixed(1)} (target: at most 12); 1x target: under 3 s`,
  );
}
console.log(`calibration loop after: ${calibrate()}`);
