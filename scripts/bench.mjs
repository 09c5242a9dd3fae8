#!/usr/bin/env node
// Benchmarks, each compared in the same run with a peer or a floor, because this kind of machine changes speed
// from minute to minute (medians of several interleaved runs; a CPU-bound calibration loop before and after):
//
//   start-up   `exrelay --version`, `--help` and `analyze fixtures/orgs/sample` against node's floor (`node -e 0`)
//   snapshot   `exrelay analyze` of a generated 10,000-connector snapshot (47 MB) and of one 10x its size
//   clixml     the same organisation as Export-Clixml files (~115 MB, written by real pwsh), exrelay against the
//              PowerShell an administrator would run on them (scripts/bench/Get-AnonymousRelayPeer.ps1)
//   clixml-ps51  (only when asked for) the same files as Windows PowerShell 5.1 writes them, UTF-16LE with CR LF
//              line ends (~230 MB), made from the others by re-encoding them
//
//   npm run bench                                   # everything; the clixml part needs pwsh
//   npm run bench -- --runs 7 --only startup,clixml
//   npm run bench -- --only clixml-ps51
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'startup,snapshot,clixml' },
    'skip-10x': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const parts = new Set(values.only.split(','));
const BIN = 'dist/cli/bin.js';
if (!existsSync(BIN)) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
mkdirSync('.bench', { recursive: true });
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** One run: wall seconds, and where GNU time is there, CPU seconds (user + system) and peak RSS in MB. */
function timeOnce(command, args, { allowedStatus = [0] } = {}) {
  const started = process.hrtime.bigint();
  const result = TIME
    ? spawnSync(TIME, ['-f', 'TIME %U %S %M', command, ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      })
    : spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const status = TIME
    ? Number(/Command exited with non-zero status (\d+)/.exec(result.stderr)?.[1] ?? 0)
    : result.status;
  if (!allowedStatus.includes(status))
    throw new Error(`${command} ${args.join(' ')} exited ${status}: ${result.stderr.slice(0, 500)}`);
  const measured = TIME ? /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr) : null;
  return {
    wall,
    cpu: measured ? Number(measured[1]) + Number(measured[2]) : NaN,
    rssMb: measured ? Number(measured[3]) / 1024 : NaN,
  };
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const best = (list) => Math.min(...list);
const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
const s = (seconds) => `${seconds.toFixed(2)} s`;

/** A fixed CPU-bound loop: how fast this machine was just now. */
function calibrate() {
  const started = performance.now();
  let sink = 0;
  for (let index = 0; index < 3e8; index++) sink += index % 7;
  return `${(performance.now() - started).toFixed(0)} ms${sink < 0 ? '!' : ''}`;
}

function startup() {
  console.log(
    `\nstart-up (${runs} interleaved rounds; each figure is the run minus node -e 0 in the same round)`,
  );
  // A tsc-only build (the test set-up's) leaves bin.js loading the modules, which start slower than the bundle.
  const bundled = readFileSync(BIN, 'utf8').includes("const BUNDLE_BUILD = '");
  console.log(
    bundled
      ? '  bin.js runs the bundle (scripts/build-bundle.mjs)'
      : '  bin.js loads the modules: no bundle since tsc last ran (npm run build makes one)',
  );
  const commands = {
    '--version': [BIN, '--version'],
    '--help': [BIN, '--help'],
    'analyze sample --format json': [BIN, 'analyze', 'fixtures/orgs/sample', '--format', 'json'],
  };
  const floors = [];
  const above = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  // CPU time (user + system) varies less than wall time when the machine is shared.
  const cpuAbove = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < runs; round++) {
    const floor = timeOnce(process.execPath, ['-e', '0']);
    floors.push(floor.wall);
    for (const [name, args] of Object.entries(commands)) {
      const run = timeOnce(process.execPath, args, { allowedStatus: [0, 1] });
      above[name].push(run.wall - floor.wall);
      cpuAbove[name].push(run.cpu - floor.cpu);
    }
  }
  console.log(`  node -e 0                        median ${ms(median(floors))}, best ${ms(best(floors))}`);
  for (const [name, list] of Object.entries(above))
    console.log(
      `  ${name.padEnd(32)} above the floor: median ${ms(median(list))}, best ${ms(best(list))}  (${list.map(ms).join(', ')})${TIME ? `; CPU median ${ms(median(cpuAbove[name]))}` : ''}`,
    );
  console.log(
    '  targets: --version and --help within 50 ms of the floor, analyze of the sample within 150 ms',
  );
}

function snapshotFile(scale) {
  const file = `.bench/org-${scale}x.json`;
  if (!existsSync(file))
    execFileSync(process.execPath, ['scripts/generate-org.mjs', '--scale', String(scale), '--out', file], {
      stdio: 'inherit',
    });
  return file;
}

function analyzeArgs(input) {
  return [BIN, 'analyze', input, '--format', 'json', '--output', '.bench/report.json', '--fail-on', 'none'];
}

function measureAnalyze(label, input, count) {
  const results = Array.from({ length: count }, () => timeOnce(process.execPath, analyzeArgs(input)));
  const walls = results.map((result) => result.wall);
  const rss = Math.max(...results.map((result) => result.rssMb));
  console.log(
    `  ${label.padEnd(28)} median ${s(median(walls))}, best ${s(best(walls))}, CPU median ${s(median(results.map((r) => r.cpu)))}, peak RSS ${rss.toFixed(0)} MB  (${walls.map(s).join(', ')})`,
  );
  return { median: median(walls), best: best(walls), rss };
}

function snapshots() {
  console.log(`\nsnapshot`);
  const file = snapshotFile(1);
  const one = measureAnalyze(`1x (${(statSync(file).size / 1e6).toFixed(0)} MB)`, file, runs);
  if (values['skip-10x']) return;
  const tenFile = snapshotFile(10);
  const ten = measureAnalyze(
    `10x (${(statSync(tenFile).size / 1e6).toFixed(0)} MB)`,
    tenFile,
    Math.min(runs, 3),
  );
  console.log(
    `  10x / 1x = ${(ten.median / one.median).toFixed(1)} (medians)  targets: 1x median at most 1.5 s, 10x/1x at most 11, peak RSS at 10x at most 1.5 GB`,
  );
}

function pwshPath() {
  const found = spawnSync('pwsh', ['-NoLogo', '-NoProfile', '-Command', '$PSHOME'], { encoding: 'utf8' });
  return found.status === 0 ? 'pwsh' : null;
}

/** The pwsh-written Export-Clixml files of the 10,000-connector organisation; null without pwsh. */
function clixmlFolder() {
  const pwsh = pwshPath();
  if (!pwsh) {
    console.log('  skipped: pwsh is not on PATH (export PATH="$PATH:$HOME/.dotnet/tools")');
    return null;
  }
  const folder = '.bench/clixml-1x';
  if (!existsSync(`${folder}/ADPermission.xml`))
    execFileSync(
      pwsh,
      [
        '-NoProfile',
        '-File',
        'scripts/bench/Export-BenchOrganisation.ps1',
        '-Snapshot',
        snapshotFile(1),
        '-OutputDirectory',
        folder,
      ],
      { stdio: 'inherit' },
    );
  return folder;
}

function clixml() {
  console.log(`\nclixml`);
  const folder = clixmlFolder();
  if (folder) againstPeer(folder, 'CLIXML (connectors and permissions)');
}

/** Windows PowerShell 5.1's Export-Clixml writes UTF-16LE with a BOM and CR LF line ends: the same files so. */
function clixmlPs51() {
  console.log(`\nclixml-ps51`);
  const source = clixmlFolder();
  if (!source) return;
  const folder = '.bench/clixml-ps51';
  mkdirSync(folder, { recursive: true });
  for (const name of ['ReceiveConnector.xml', 'ADPermission.xml', 'AcceptedDomain.xml']) {
    if (existsSync(`${folder}/${name}`)) continue;
    const text = readFileSync(`${source}/${name}`, 'utf8')
      .replace(/^\uFEFF/, '')
      .replace(/\r?\n/g, '\r\n');
    writeFileSync(`${folder}/${name}`, Buffer.from(`\uFEFF${text}`, 'utf16le'));
  }
  againstPeer(folder, 'UTF-16LE CLIXML with CR LF line ends');
}

/** exrelay and the PowerShell peer on the files in `folder`, interleaved. */
function againstPeer(folder, what) {
  const pwsh = 'pwsh';
  const size = ['ReceiveConnector.xml', 'ADPermission.xml'].reduce(
    (sum, name) => sum + statSync(`${folder}/${name}`).size,
    0,
  );
  const peerArgs = [
    '-NoProfile',
    '-File',
    'scripts/bench/Get-AnonymousRelayPeer.ps1',
    '-Directory',
    folder,
    '-OutFile',
    '.bench/peer.json',
  ];
  const ours = [];
  const peer = [];
  for (let round = 0; round < runs; round++) {
    ours.push(timeOnce(process.execPath, analyzeArgs(folder)));
    peer.push(timeOnce(pwsh, peerArgs));
  }
  const ratios = ours.map((result, index) => peer[index].wall / result.wall);
  const cpuRatios = ours.map((result, index) => peer[index].cpu / result.cpu);
  console.log(`  ${(size / 1e6).toFixed(0)} MB of ${what}, ${runs} interleaved rounds`);
  console.log(
    `  exrelay analyze   median ${s(median(ours.map((r) => r.wall)))}, best ${s(best(ours.map((r) => r.wall)))}, CPU median ${s(median(ours.map((r) => r.cpu)))}, peak RSS ${Math.max(...ours.map((r) => r.rssMb)).toFixed(0)} MB`,
  );
  console.log(
    `  PowerShell peer   median ${s(median(peer.map((r) => r.wall)))}, best ${s(best(peer.map((r) => r.wall)))}, CPU median ${s(median(peer.map((r) => r.cpu)))}, peak RSS ${Math.max(...peer.map((r) => r.rssMb)).toFixed(0)} MB`,
  );
  console.log(
    `  peer / exrelay, per round: wall ${ratios.map((r) => r.toFixed(1)).join(', ')} (median ${median(ratios).toFixed(1)}); CPU median ${median(cpuRatios).toFixed(1)}  target: at least 5`,
  );
}

console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); calibration loop ${calibrate()}`,
);
if (parts.has('startup')) startup();
if (parts.has('snapshot')) snapshots();
if (parts.has('clixml')) clixml();
if (parts.has('clixml-ps51')) clixmlPs51();
console.log(`\ncalibration loop after: ${calibrate()}`);
