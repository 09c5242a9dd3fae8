#!/usr/bin/env node
// After tsc (`npm run build`): bundles dist/ into dist/cli/exrelay.bundle.cjs and makes its V8 code cache from a
// typical run, so that bin.js compiles one script from its cache instead of ~100 ES modules cold (start-up,
// issue #9; src/cli/bundle-loader.ts loads it). Two kinds of module stay outside, required from the bundle when
// used (Node 20.19 and later require an ES module without a warning): yargs, which only unusual command lines
// load, and the HTML report's browser code, which becomes the page's script as its own text
// (Function.prototype.toString) and must keep tsc's text, not esbuild's reprint of it.
//
//   node scripts/build-bundle.mjs           bundle, then make the code cache in a child process
//   node scripts/build-bundle.mjs --warm    (the child) run the bundle once and write its code cache at exit
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const CLI = join(DIST, 'cli');
const { BUNDLE_NAME, CODE_CACHE_NAME, codeCacheOf, loadBundle } = await import(
  new URL('../dist/cli/bundle-loader.js', import.meta.url).href
);
const { setV8Flags } = await import(new URL('../dist/cli/v8-flags.js', import.meta.url).href);
const { HELP_PAGE_NAME, builtHelpText } = await import(
  new URL('../dist/cli/built-help.js', import.meta.url).href
);
const BUNDLE = join(CLI, BUNDLE_NAME);
const CODE_CACHE = join(CLI, CODE_CACHE_NAME);
const HELP_PAGE = join(CLI, HELP_PAGE_NAME);

/** The run whose compiled functions the cache keeps: analyze of the sample when the fixtures are there. */
const WARM_ARGS = existsSync(join(ROOT, 'fixtures/orgs/sample'))
  ? ['analyze', 'fixtures/orgs/sample', '--format', 'json']
  : ['checks', '--format', 'json'];

async function bundle() {
  const { build } = await import('esbuild');
  const buildId = randomBytes(16).toString('hex');
  await rm(CODE_CACHE, { force: true });
  await rm(HELP_PAGE, { force: true });
  await build({
    entryPoints: [join(CLI, 'run.js')],
    outfile: `${BUNDLE}.tmp`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['yargs'],
    // import() inside a vm.Script needs an experimental loader that warns on stderr: yargs is required instead
    // (Node 20.19 and later require an ES module such as yargs without a warning).
    supported: { 'dynamic-import': false },
    plugins: [browserCodeOutside, moduleUrls],
    banner: {
      js: [
        `// exrelay-build ${buildId}`,
        '// Made by scripts/build-bundle.mjs from the modules beside it; loaded by bin.js (bundle-loader.js).',
        "const __exrelayModuleUrl = (path) => require('node:url').pathToFileURL(require('node:path').join(__dirname, path)).href;",
      ].join('\n'),
    },
    minifyWhitespace: true,
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await assertAscii(`${BUNDLE}.tmp`);
  await rename(`${BUNDLE}.tmp`, BUNDLE);
  await writeHelpPage(buildId);
  await claimBundle(buildId);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--warm'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(CODE_CACHE))
    throw new Error(`no code cache was made (the warm-up run exited ${child.status})`);
}

/**
 * V8 holds a source with a single character beyond ASCII as two bytes per character: twice the memory to read and
 * scan at every start. esbuild escapes such characters everywhere but in String.raw templates, which keep them.
 */
async function assertAscii(file) {
  const bytes = await readFile(file);
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at >= 0)
    throw new Error(
      `${file}: a character beyond ASCII near "${bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8')}" (write it as an escape, or outside String.raw)`,
    );
}

/** Browser code (src/report/html/page-script.ts explains it): the page script and the report kinds. */
const BROWSER_CODE = /[/\\]report[/\\]html[/\\](?:page-script|page-library|[a-z-]+-kind)\.js$/;

/**
 * Browser code is required from dist/ as it is. It may import only other browser code: a module it shared with
 * the bundle would be loaded twice (two copies of its state and classes).
 */
const browserCodeOutside = {
  name: 'browser-code-outside',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, async ({ path, resolveDir }) => {
      const file = resolve(resolveDir, path);
      if (!BROWSER_CODE.test(file)) return undefined;
      const text = await readFile(file, 'utf8');
      for (const [, imported] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm))
        if (!BROWSER_CODE.test(resolve(dirname(file), imported)))
          throw new Error(`${file}: browser code imports ${imported}, which is not browser code`);
      const fromBundle = relative(CLI, file).split(sep).join('/');
      return { path: fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`, external: true };
    });
  },
};

/**
 * Each module keeps its own import.meta.url, the file it was in dist/: package.json, the PowerShell scripts and
 * the log scanner's worker are found from it.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      if (!path.startsWith(DIST + sep)) throw new Error(`${path} reads import.meta.url outside dist/`);
      const fromBundle = JSON.stringify(relative(CLI, path).split(sep).join('/'));
      return {
        contents: text.replaceAll('import.meta.url', `__exrelayModuleUrl(${fromBundle})`),
        loader: 'js',
      };
    });
  },
};

/** The top-level help page, which bin.js prints for `--help` without loading the bundle (src/cli/built-help.ts). */
async function writeHelpPage(buildId) {
  const { helpPage } = await import(new URL('../dist/cli/main.js', import.meta.url).href);
  const { generatorName } = await import(new URL('../dist/cli/version.js', import.meta.url).href);
  const context = { generator: generatorName(), warn: () => undefined, setExitCode: () => undefined };
  await writeFile(`${HELP_PAGE}.tmp`, builtHelpText(helpPage(context), buildId));
  await rename(`${HELP_PAGE}.tmp`, HELP_PAGE);
}

/** bin.js learns which bundle is its own: a later tsc run writes null there again. */
async function claimBundle(buildId) {
  const bin = join(CLI, 'bin.js');
  const text = await readFile(bin, 'utf8');
  const claim = /^const BUNDLE_BUILD = (?:null|'[0-9a-f]{32}');(?=\r?$)/gm;
  if ((text.match(claim) ?? []).length !== 1) throw new Error(`${bin} does not set BUNDLE_BUILD once`);
  await writeFile(`${bin}.tmp`, text.replace(claim, `const BUNDLE_BUILD = '${buildId}';`), { mode: 0o755 });
  await rename(`${bin}.tmp`, bin);
}

/** Runs the bundle as bin.js does, and keeps V8's code cache with every function this run compiled. */
function warm() {
  // Under bin.js's own V8 flags: V8 refuses a code cache made under others.
  setV8Flags();
  const loaded = loadBundle(BUNDLE, undefined);
  if (!loaded) throw new Error(`${BUNDLE} has no build line`);
  process.on('exit', () => {
    // Written whole under another name first: a run that starts meanwhile finds no cache or this one.
    writeFileSync(`${CODE_CACHE}.tmp`, codeCacheOf(loaded));
    renameSync(`${CODE_CACHE}.tmp`, CODE_CACHE);
  });
  void loaded.exports.run(WARM_ARGS);
}

if (process.argv.includes('--warm')) warm();
else await bundle();
