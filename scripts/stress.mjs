#!/usr/bin/env node
// Stress benchmark: hostile and huge inputs (issue #12), each generated into a temporary folder and run through
// the real CLI. Prints per shape the wall time, its ratio to a fixed calibration loop (this VM's speed drifts by
// half within minutes, so compare ratios, not seconds), the peak RSS and what the CLI said.
//
//   npm run bench:stress                       # every shape, median of 3 runs
//   npm run bench:stress -- --runs 1 --only same-name,long-name
//   npm run bench:stress -- --bin /tmp/old/dist/cli/bin.js   # the same shapes against another build
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    bin: { type: 'string', default: 'dist/cli/bin.js' },
    timeout: { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const timeoutMs = Number(values.timeout) * 1000;
const BIN = resolve(values.bin);
if (values.bin === 'dist/cli/bin.js' && !existsSync(BIN))
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'exrelay-stress-'));

// Peak RSS of the CLI process itself, written by a preloaded hook when it exits (no external `time` needed).
const PEAK = join(work, 'peak-rss.cjs');
writeFileSync(
  PEAK,
  `process.on('exit', () => require('node:fs').writeFileSync(process.env.EXRELAY_STRESS_RSS, String(process.resourceUsage().maxRSS)));\n`,
);

// ---------------------------------------------------------------------------------------------------------
// Inputs

let seed = 20261212;
const random = (limit) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % limit;
};

const ANONYMOUS = 'NT AUTHORITY\\ANONYMOUS LOGON';
const ace = (user, sid, right) => ({
  user,
  sid,
  deny: false,
  inherited: false,
  accessRights: ['ExtendedRight'],
  extendedRights: [right],
  inheritanceType: 'None',
});
const RELAY_ACL = [
  ace(ANONYMOUS, 'S-1-5-7', 'ms-Exch-SMTP-Submit'),
  ace(ANONYMOUS, 'S-1-5-7', 'ms-Exch-SMTP-Accept-Any-Recipient'),
];

function connector(server, name, remoteIPRanges, permissions = RELAY_ACL) {
  return {
    identity: `${server}\\${name}`,
    server,
    name,
    distinguishedName: null,
    enabled: true,
    transportRole: 'FrontendTransport',
    bindings: ['0.0.0.0:25'],
    remoteIPRanges,
    authMechanism: ['Tls'],
    permissionGroups: ['AnonymousUsers'],
    permissions,
  };
}

const defaultFrontend = (server) =>
  connector(server, `Default Frontend ${server}`, ['0.0.0.0-255.255.255.255'], []);

function snapshotText(connectors, extra = {}) {
  const servers = [...new Set(connectors.map((entry) => entry.server))].map((name) => ({
    name,
    version: 'Version 15.2 (Build 1544.4)',
    roles: ['Mailbox'],
    isEdge: false,
  }));
  return JSON.stringify({
    kind: 'exrelay.snapshot',
    schemaVersion: 1,
    collectedAt: '2026-12-12T02:00:00Z',
    source: { method: 'script', description: 'scripts/stress.mjs', tool: 'scripts/stress.mjs' },
    partial: false,
    servers,
    connectors,
    acceptedDomains: [
      { name: 'contoso.com', domainName: 'contoso.com', domainType: 'Authoritative', isDefault: true },
    ],
    errors: [],
    ...extra,
  });
}

const ip = (value) => [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');

/** 100,000 CIDR ranges of every prefix from /8 to /32 inside 10.0.0.0/8, nested and overlapping. */
function overlappingCidr() {
  const ranges = [];
  for (let index = 0; index < 100_000; index++) {
    const prefix = 8 + (index % 25);
    const address = (0x0a000000 + random(2 ** 24)) >>> 0;
    const mask = prefix === 32 ? 0xffffffff : ~(2 ** (32 - prefix) - 1) >>> 0;
    ranges.push(`${ip((address & mask) >>> 0)}/${prefix}`);
  }
  return snapshotText([defaultFrontend('EX01'), connector('EX01', 'Relay Overlap', ranges)]);
}

/** 40,000 relay connectors called "Relay", one per server, with two different scopes. */
function sameName() {
  const connectors = [];
  for (let index = 0; index < 40_000; index++) {
    const server = `EX${String(index).padStart(5, '0')}`;
    connectors.push(connector(server, 'Relay', [index % 2 === 0 ? '10.0.0.5' : '10.0.0.0/29']));
  }
  return snapshotText(connectors);
}

function longName(length) {
  const name = `Relay ${'x'.repeat(length - 6)}`;
  return snapshotText([defaultFrontend('EX01'), connector('EX01', name, ['10.0.0.0/24'])]);
}

/**
 * 1,000,000 RemoteIPRanges entries: ten relay connectors beside Default Frontend on one server, 100,000 entries
 * each in a block of their own (single hosts, CIDR, lo-hi ranges, IPv6 /64s), so that no two connectors tie.
 */
function millionRanges() {
  const connectors = [defaultFrontend('EX01')];
  for (let index = 0; index < 10; index++) {
    const base = (0x0a000000 + index * 2 ** 20) >>> 0;
    const ranges = [];
    for (let n = 0; n < 100_000; n++) {
      const a = (base + n * 8) >>> 0;
      switch (n % 4) {
        case 0:
          ranges.push(ip(a));
          break;
        case 1:
          ranges.push(`${ip(a)}/30`);
          break;
        case 2:
          ranges.push(`${ip(a)}-${ip(a + 5)}`);
          break;
        default:
          ranges.push(
            `fd${index.toString(16).padStart(2, '0')}:${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}::/64`,
          );
      }
    }
    connectors.push(connector('EX01', `Relay ${index}`, ranges));
  }
  return snapshotText(connectors);
}

/** One relay connector bound to 100,000 local addresses of its server (every binding its own context). */
function manyBindings() {
  const bindings = Array.from({ length: 100_000 }, (_, index) => `${ip((0x0a000000 + index) >>> 0)}:25`);
  return snapshotText([defaultFrontend('EX01'), { ...connector('EX01', 'Bound', ['10.0.0.1']), bindings }]);
}

/**
 * 10,000 relay connectors with a /30 each, beside one connector bound to 10,000 local addresses whose /16 covers
 * them all: every local address sees every relay connector take its /30.
 */
function boundBesideRelays() {
  const connectors = [defaultFrontend('EX01')];
  for (let index = 0; index < 10_000; index++)
    connectors.push(connector('EX01', `Relay ${index}`, [`${ip((0x0a000000 + index * 4) >>> 0)}/30`]));
  const bindings = Array.from({ length: 10_000 }, (_, index) => `${ip((0xc0a80000 + index) >>> 0)}:25`);
  connectors.push({ ...connector('EX01', 'Bound', ['10.0.0.0/16'], []), bindings });
  return snapshotText(connectors);
}

/** 20,000 relay connectors, one /30 each, for the table format (a finding or two per connector). */
function manyRelays() {
  const connectors = [defaultFrontend('EX01')];
  for (let index = 0; index < 20_000; index++)
    connectors.push(connector('EX01', `Relay ${index}`, [`${ip((0x0a000000 + index * 4) >>> 0)}/30`]));
  return snapshotText(connectors);
}

/** A Get-ADPermission export (ConvertTo-Json) of 100,000 ACEs for connectors that are not in the input. */
function unmatchedAces(folder) {
  writeFileSync(join(folder, 'snapshot.json'), snapshotText([defaultFrontend('EX01')]));
  const aces = [];
  for (let index = 0; index < 100_000; index++) {
    const name = `Gone ${index}`;
    aces.push({
      AccessRights: [256],
      ExtendedRights: [{ RawIdentity: 'ms-Exch-SMTP-Accept-Any-Recipient' }],
      Deny: { IsPresent: false },
      InheritanceType: 0,
      User: { RawIdentity: ANONYMOUS },
      Identity: {
        DistinguishedName: `CN=${name},CN=SMTP Receive Connectors,CN=Protocols,CN=EX99,CN=Servers,DC=contoso,DC=com`,
        Name: name,
      },
      IsInherited: false,
    });
  }
  writeFileSync(join(folder, 'ADPermission.json'), JSON.stringify(aces));
}

/** CLIXML nested 100,000 levels deep: each object a property of the one around it (the readers' depth limit). */
function deepXml() {
  const depth = 100_000;
  let open = '';
  for (let level = 0; level < depth; level++) open += `<Obj N="P" RefId="${level}"><MS>`;
  return `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">${open.replace(' N="P"', '')}${'</MS></Obj>'.repeat(depth)}</Objs>`;
}

/** A connector listed twice, each copy with an unknown field nested 100,000 levels deep. */
function deepDuplicates() {
  const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  const copy = JSON.stringify(connector('EX01', 'Relay', ['10.0.0.5'])).replace(/}$/, `,"extra":${deep}}`);
  return snapshotText([]).replace(
    '"connectors":[]',
    `"connectors":[${copy},${copy.replace('"extra"', '"other"')}]`,
  );
}

/** A shape that is one file, analysed into a JSON report (`table` for the name shapes, which test it). */
const shape = (name, what, file, content, format = 'json') => ({
  name,
  what,
  write: (folder) => writeFileSync(join(folder, file), content()),
  args: ['--format', format],
});

const SHAPES = [
  shape(
    'overlapping-cidr',
    'one connector, 100,000 overlapping CIDR ranges (goal < 5 s)',
    'org.json',
    overlappingCidr,
  ),
  shape('same-name', '40,000 connectors named "Relay" on 40,000 servers (goal < 5 s)', 'org.json', sameName),
  shape(
    'long-name',
    'a 100,000-character connector name, table (goal < 1 s)',
    'org.json',
    () => longName(100_000),
    'table',
  ),
  shape(
    'huge-name',
    'a 10 MB connector name, table (goal < 1 s)',
    'org.json',
    () => longName(10_000_000),
    'table',
  ),
  shape(
    'million-ranges',
    '1,000,000 RemoteIPRanges entries (goal < 5 s, < 600 MB)',
    'org.json',
    millionRanges,
  ),
  {
    name: 'unmatched-aces',
    what: '100,000 ACEs for connectors not in the input (goal: one warning)',
    write: unmatchedAces,
    args: ['--format', 'json'],
  },
  shape('deep-xml', 'CLIXML nested 100,000 levels (goal: refused or linear, < 1 s)', 'deep.xml', deepXml),
  shape('many-bindings', 'a connector bound to 100,000 local addresses (was 42 s)', 'org.json', manyBindings),
  shape(
    'bound-beside-relays',
    'a connector bound to 10,000 addresses beside 10,000 relay connectors (was out of memory)',
    'org.json',
    boundBesideRelays,
  ),
  shape('table-20k', '20,000 relay connectors, table format (was 15 s)', 'org.json', manyRelays, 'table'),
  shape(
    'deep-duplicates',
    'a connector twice, each with a field nested 100,000 deep (goal: no crash)',
    'org.json',
    deepDuplicates,
  ),
];

// ---------------------------------------------------------------------------------------------------------
// Measuring

/** A fixed CPU-bound loop: the unit every time below is divided by. */
function calibrate() {
  const started = performance.now();
  let sink = 0;
  for (let index = 0; index < 3e8; index++) sink += index % 7;
  if (sink < 0) console.log('');
  return (performance.now() - started) / 1000;
}

function runOnce(shape, folder) {
  const rssFile = join(work, 'rss');
  rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [
      '--require',
      PEAK,
      BIN,
      'analyze',
      folder,
      '--fail-on',
      'none',
      ...shape.args,
      '--output',
      join(work, 'report'),
    ],
    {
      env: { ...process.env, EXRELAY_STRESS_RSS: rssFile },
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 1024 * 1024 * 1024,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : null;
  const stderr = result.stderr ?? '';
  const lines = stderr.split('\n').filter((line) => line !== '');
  return {
    seconds,
    killed: result.signal !== null,
    status: result.status,
    rssMb,
    stderrLines: lines.length,
    said: (lines[0] ?? '').slice(0, 110),
  };
}

const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
const selected = values.only ? SHAPES.filter((shape) => values.only.split(',').includes(shape.name)) : SHAPES;

const before = calibrate();
console.log(
  `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); ${BIN}\ncalibration loop: ${before.toFixed(2)} s (= 1 unit)\n`,
);
const calibrations = [before];
for (const shape of selected) {
  const folder = join(work, shape.name);
  execFileSync('mkdir', ['-p', folder]);
  shape.write(folder);
  const results = [];
  for (let run = 0; run < runs; run++) {
    const unit = calibrate();
    calibrations.push(unit);
    const result = runOnce(shape, folder);
    results.push({ ...result, ratio: result.seconds / unit });
    if (result.killed) break;
  }
  const last = results[results.length - 1];
  const time = last.killed
    ? `> ${values.timeout} s (killed)`
    : `${median(results.map((r) => r.seconds)).toFixed(2)} s = ${median(results.map((r) => r.ratio)).toFixed(2)} units`;
  const rss = median(results.map((r) => r.rssMb ?? 0));
  console.log(`${shape.name.padEnd(17)} ${shape.what}`);
  console.log(
    `${''.padEnd(17)} ${time}, peak RSS ${rss ? `${rss.toFixed(0)} MB` : '?'}, exit ${last.killed ? 'killed' : last.status}, ${last.stderrLines} stderr line(s)${last.said ? `: ${last.said}` : ''}`,
  );
  if (!values.keep) rmSync(folder, { recursive: true, force: true });
}
const after = calibrate();
console.log(
  `\ncalibration loop after: ${after.toFixed(2)} s (median of all: ${median([...calibrations, after]).toFixed(2)} s)`,
);
if (!values.keep) rmSync(work, { recursive: true, force: true });
