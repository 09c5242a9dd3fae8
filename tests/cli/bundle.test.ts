/**
 * The bundle `npm run build` ships beside bin.js (scripts/build-bundle.mjs, src/cli/bundle-loader.ts) must answer
 * every command as the modules do. The other CLI tests run the bundle the test set-up makes, with the modules
 * beside it; here a copy of the package is bundled, its modules are taken away so that only the bundle can
 * answer, and its answers are compared with those of the modules (compare-reports builds with tsc alone).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_NAME, CODE_CACHE_NAME, loadBundle } from '../../src/cli/bundle-loader.js';
import { builtHelpText, HELP_PAGE_NAME } from '../../src/cli/built-help.js';
import type { HelpPage } from '../../src/cli/help.js';
import { BIN, ROOT, runCli, type CliResult } from '../support/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'exrelay-bundle-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const PACKAGE = join(temp, 'package');
const BUNDLED_BIN = join(PACKAGE, 'dist/cli/bin.js');

beforeAll(() => {
  mkdirSync(join(PACKAGE, 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(PACKAGE, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(PACKAGE, 'package.json'));
  cpSync(join(ROOT, 'scripts/build-bundle.mjs'), join(PACKAGE, 'scripts/build-bundle.mjs'));
  for (const name of ['node_modules', 'fixtures']) symlinkSync(join(ROOT, name), join(PACKAGE, name));
  execFileSync(process.execPath, [join(PACKAGE, 'scripts/build-bundle.mjs')], { cwd: PACKAGE });
  // What bin.js would otherwise load: with these gone, only the bundle can answer.
  for (const name of ['run.js', 'main.js', 'analyze.js']) rmSync(join(PACKAGE, 'dist/cli', name));
}, 120_000);

function bundled(args: string[], cwd = ROOT): CliResult {
  const result = spawnSync(process.execPath, [BUNDLED_BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SAMPLE = 'fixtures/orgs/sample';

describe('the bundle', () => {
  it.each([
    [['--version']],
    [['--help']],
    [['checks']],
    [['checks', '--format', 'json']],
    ...['table', 'json', 'csv', 'markdown', 'html'].map((format) => [
      ['analyze', SAMPLE, '--format', format],
    ]),
    [
      [
        'analyze',
        'fixtures/orgs/contoso-2010',
        'fixtures/orgs/fabrikam-2019',
        '-f',
        'json',
        '--fail-on',
        'none',
      ],
    ],
    // yargs is outside the bundle: these command lines load it.
    [['analyze', SAMPLE, '--help']],
    [['analyze', SAMPLE, '--format', 'jsn']],
    [['analyse', SAMPLE]],
    [['analyze', SAMPLE, '--output']],
    [['analyze', 'no-such-folder']],
    [['diff', SAMPLE, 'fixtures/orgs/contoso-2010', '--format', 'json']],
    // The HTML page's script is its browser code's own text, outside the bundle: every kind of page.
    [['diff', SAMPLE, 'fixtures/orgs/contoso-2010', '--format', 'html']],
    [['usage', 'fixtures/logs/sample', '--against', SAMPLE, '--format', 'html']],
    // The log scanner's worker is found from its own module's URL.
    [
      [
        'usage',
        'fixtures/logs/fabrikam-2019',
        '--against',
        'fixtures/orgs/fabrikam-2019',
        '--format',
        'json',
      ],
    ],
    [['usage', 'fixtures/logs/fabrikam-2019', '--against', 'fixtures/orgs/fabrikam-2019', '--jobs', '1']],
  ])('answers %j as the modules do', (args) => {
    expect(bundled(args)).toEqual(runCli(args));
  });

  it('writes a report to --output as the modules do', () => {
    const fromBundle = join(temp, 'bundle.md');
    const fromModules = join(temp, 'modules.md');
    expect(bundled(['analyze', SAMPLE, '-f', 'markdown', '-o', fromBundle]).status).toBe(1);
    expect(runCli(['analyze', SAMPLE, '-f', 'markdown', '-o', fromModules]).status).toBe(1);
    expect(readFileSync(fromBundle, 'utf8')).toBe(readFileSync(fromModules, 'utf8'));
  });

  it('is compiled from its code cache under the V8 flags bin.js sets (V8 refuses a cache made under others)', () => {
    const cli = pathToFileURL(join(PACKAGE, 'dist/cli/')).href;
    const probe = [
      `const { setV8Flags } = await import('${cli}v8-flags.js');`,
      `const { loadBundle } = await import('${cli}bundle-loader.js');`,
      'setV8Flags();',
      `const loaded = loadBundle(${JSON.stringify(join(PACKAGE, 'dist/cli', BUNDLE_NAME))}, undefined);`,
      'console.log(JSON.stringify({ loaded: loaded !== null, cold: loaded?.compiledCold }));',
      'process.exit(0);',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ loaded: true, cold: false });
  });

  it('still answers with a damaged code cache, or none', () => {
    const cache = join(PACKAGE, 'dist/cli', CODE_CACHE_NAME);
    const expected = runCli(['analyze', SAMPLE, '--format', 'json']);
    const data = readFileSync(cache);
    // A damaged cache given to V8 stops the process (it checks the length, not the content).
    const damaged = Buffer.from(data);
    for (let index = data.indexOf(0x0a) + 100; index < damaged.length; index += 997)
      damaged[index] = (damaged[index] ?? 0) ^ 0x5a;
    writeFileSync(cache, damaged);
    expect(bundled(['analyze', SAMPLE, '--format', 'json'])).toEqual(expected);
    rmSync(cache);
    expect(bundled(['analyze', SAMPLE, '--format', 'json'])).toEqual(expected);
    writeFileSync(cache, data);
  });
});

describe('--help', () => {
  const file = join(PACKAGE, 'dist/cli', HELP_PAGE_NAME);

  it('is answered from the page the build wrote beside the bundle, and by the bundle when that page is not its own', () => {
    const original = readFileSync(file, 'utf8');
    const { build, page } = JSON.parse(original) as { build: string; page: HelpPage };
    const expected = runCli(['--help']);
    const marked = { ...page, usage: 'marked usage line' };
    try {
      // The page is printed as written: bin.js did not ask the bundle.
      writeFileSync(file, builtHelpText(marked, build));
      const fromPage = bundled(['-h']);
      expect(fromPage.stdout.split('\n')[0]).toBe('marked usage line');
      const commandsOn = (help: string) => help.slice(help.indexOf('\nCommands:'));
      expect(commandsOn(fromPage.stdout)).toBe(commandsOn(expected.stdout));
      // Another build's page, a damaged one or none: the bundle's own answer.
      writeFileSync(file, builtHelpText(marked, 'f'.repeat(32)));
      expect(bundled(['--help'])).toEqual(expected);
      writeFileSync(file, original.slice(0, 100));
      expect(bundled(['--help'])).toEqual(expected);
      writeFileSync(
        file,
        builtHelpText({ ...page, commands: [1, 2] as unknown as HelpPage['commands'] }, build),
      );
      expect(bundled(['--help'])).toEqual(expected);
      rmSync(file);
      expect(bundled(['--help'])).toEqual(expected);
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('loadBundle', () => {
  const folder = join(temp, 'builds');
  const build = 'a'.repeat(32);
  const bundle = join(folder, BUNDLE_NAME);
  beforeAll(() => {
    mkdirSync(folder);
    writeFileSync(bundle, `// exrelay-build ${build}\nmodule.exports.run = () => 'ran';\n`);
  });

  it('loads the bundle of the build bin.js names', () => {
    expect(loadBundle(bundle, build)?.exports.run([])).toBe('ran');
  });

  it('refuses a bundle of another build (tsc rebuilt the modules since), or none', () => {
    expect(loadBundle(bundle, 'b'.repeat(32))).toBeNull();
    writeFileSync(join(folder, 'plain.cjs'), "module.exports.run = () => 'ran';\n");
    expect(loadBundle(join(folder, 'plain.cjs'), build)).toBeNull();
  });

  it('is what the other CLI tests run: the test set-up bundles, as npm run build does', () => {
    expect(readFileSync(BIN, 'utf8')).toMatch(/^const BUNDLE_BUILD = '[0-9a-f]{32}';$/m);
  });
});
