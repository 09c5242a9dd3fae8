#!/usr/bin/env node
// Proves that a change altered no report: runs the CLI built from one commit (--base, default main) and the CLI
// built from another (--head, default HEAD), each checked out beside this checkout, on every fixture organisation, every file in them, the real Exchange export in
// ../shared/data (when present) and a set of damaged copies of them, in every format, and compares standard
// output, standard error and the exit code byte for byte.
//
//   node scripts/compare-reports.mjs --base 3169784        # prints each difference; exits 1 if there is one
//   node scripts/compare-reports.mjs --base main --mutations 300
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'main' },
    head: { type: 'string', default: 'HEAD' },
    mutations: { type: 'string', default: '200' },
  },
});
const ROOT = resolve(import.meta.dirname, '..');
const LAB = resolve(ROOT, '../shared/data/exchange2019-lab');
const FORMATS = ['table', 'json', 'csv', 'markdown', 'html'];

function build(dir) {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  return join(dir, 'dist/cli/bin.js');
}

/** A commit checked out beside this checkout, sharing its node_modules. */
function checkout(commit) {
  const dir = mkdtempSync(join(tmpdir(), 'exrelay-base-'));
  execFileSync('git', ['worktree', 'add', '--detach', '--quiet', dir, commit], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function exportFiles(dir) {
  return readdirSync(dir)
    .filter((name) => /\.(xml|clixml|json)$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Deterministic damage: truncation, a cut, an inserted snippet, a repeated stretch (as tests/ingest/fuzz). */
function mutations(files, count, folder) {
  const snippets = [
    '<',
    '>',
    '&',
    '&amp',
    '"',
    '</Obj>',
    '<Obj RefId="0">',
    '<Ref RefId="9"/>',
    '<!--',
    ']]>',
    '\u0001',
    '{',
    '}',
    ',',
  ];
  let seed = 20261128;
  const random = (limit) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % limit;
  };
  mkdirSync(folder, { recursive: true });
  const made = [];
  for (let index = 0; index < count; index++) {
    const source = files[index % files.length];
    const text = readFileSync(source).toString('latin1');
    const at = random(text.length);
    const length = random(200);
    let damaged;
    switch (random(4)) {
      case 0:
        damaged = text.slice(0, at);
        break;
      case 1:
        damaged = text.slice(0, at) + text.slice(at + length);
        break;
      case 2:
        damaged = text.slice(0, at) + snippets[random(snippets.length)] + text.slice(at);
        break;
      default:
        damaged = text.slice(0, at) + text.slice(at, at + length) + text.slice(at);
    }
    const file = join(folder, `${String(index).padStart(4, '0')}-${source.split('/').pop()}`);
    writeFileSync(file, Buffer.from(damaged, 'latin1'));
    made.push(file);
  }
  return made;
}

function run(bin, args) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: ROOT,
    encoding: 'buffer',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 1024 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const baseDir = checkout(values.base);
const headDir = checkout(values.head);
let differences = 0;
let compared = 0;
try {
  const baseBin = build(baseDir);
  const headBin = build(headDir);
  const orgs = readdirSync(join(ROOT, 'fixtures/orgs'))
    .sort()
    .map((name) => join(ROOT, 'fixtures/orgs', name));
  const inputs = [...orgs, ...orgs.flatMap(exportFiles)];
  if (existsSync(LAB)) inputs.push(LAB, ...exportFiles(LAB));
  else console.log(`note: ${LAB} is absent; the real export is not compared`);
  const damaged = mutations(
    inputs.filter((input) => /\.(xml|json)$/.test(input)),
    Number(values.mutations),
    join(baseDir, '.mutations'),
  );
  const cases = [
    ...inputs.flatMap((input) =>
      FORMATS.flatMap((format) => [
        ['analyze', input, '--format', format],
        ['analyze', input, '--format', format, '--show-info', '--fail-on', 'none'],
      ]),
    ),
    ...damaged.map((file) => ['analyze', file, '--format', 'json']),
  ];
  for (const args of cases) {
    const before = run(baseBin, args);
    const after = run(headBin, args);
    compared++;
    const same =
      before.status === after.status &&
      before.stdout.equals(after.stdout) &&
      before.stderr.equals(after.stderr);
    if (!same) {
      differences++;
      console.log(`DIFFERENT: exrelay ${args.join(' ')}`);
      console.log(`  exit ${before.status} → ${after.status}`);
      if (!before.stderr.equals(after.stderr))
        console.log(
          `  stderr: ${JSON.stringify(before.stderr.toString())} → ${JSON.stringify(after.stderr.toString())}`,
        );
      if (!before.stdout.equals(after.stdout))
        console.log(`  stdout differs (${before.stdout.length} → ${after.stdout.length} bytes)`);
    }
  }
} finally {
  for (const dir of [baseDir, headDir]) {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT });
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`${compared} runs compared, ${values.head} against ${values.base}: ${differences} different`);
process.exit(differences === 0 ? 0 : 1);
