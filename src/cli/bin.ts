#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import type { LoadedBundle } from './bundle-loader.js';
import { handleOutputFailures } from './output-failures.js';
import { generatorName, versionOf } from './version.js';

/**
 * The build of the bundle beside this file: scripts/build-bundle.mjs writes it here when it bundles the modules
 * tsc has just written. tsc writes null again, so modules it rebuilds are never shadowed by an older bundle.
 */
const BUNDLE_BUILD: string | null = null;

const args = process.argv.slice(2);
const only = args.length === 1 ? args[0] : undefined;
// `--version` needs package.json only, `--help` the page written beside the bundle: both are answered before the
// bundle loads, which is most of a short run. main() answers them the same way for every other caller.
const answered =
  only === '--version' ? printVersion() : only === '--help' || only === '-h' ? await printBuiltHelp() : false;
if (!answered) {
  // Loaded only here: what --version and --help need is less than what loads the bundle.
  const [{ setV8Flags }, bundleLoader] = await Promise.all([
    import('./v8-flags.js'),
    import('./bundle-loader.js'),
  ]);
  setV8Flags();
  // A stack for a bug report must name exrelay's own source files and lines, not lines of the bundle: --debug
  // runs the modules, mapped back to the TypeScript by the source maps tsc writes beside them.
  const debug = args.includes('--debug');
  if (debug) process.setSourceMapsEnabled(true);
  const bundle = debug ? null : bundleOfThisBuild(bundleLoader);
  if (bundle) await bundle.exports.run(args);
  else await (await import('./run.js')).run(args);
}

function printVersion(): true {
  handleOutputFailures();
  process.stdout.write(`${versionOf(generatorName())}\n`);
  return true;
}

/** Prints the help page the build wrote for this bundle; false when there is none (the bundle answers then). */
async function printBuiltHelp(): Promise<boolean> {
  if (BUNDLE_BUILD === null) return false;
  const [{ HELP_PAGE_NAME, readBuiltHelp }, { helpWidth, renderHelp }] = await Promise.all([
    import('./built-help.js'),
    import('./help.js'),
  ]);
  const page = readBuiltHelp(fileURLToPath(new URL(HELP_PAGE_NAME, import.meta.url)), BUNDLE_BUILD);
  if (page === null) return false;
  let text: string;
  try {
    text = renderHelp(page, helpWidth(process.stdout.columns));
  } catch {
    // A page damaged into other JSON: the bundle answers.
    return false;
  }
  handleOutputFailures();
  process.stdout.write(`${text}\n`);
  return true;
}

function bundleOfThisBuild({
  BUNDLE_NAME,
  loadBundle,
}: typeof import('./bundle-loader.js')): LoadedBundle | null {
  // The bundle requires yargs and the HTML report's browser code, ES modules (not with --no-experimental-require-module).
  if (BUNDLE_BUILD === null || !process.features.require_module) return null;
  try {
    return loadBundle(fileURLToPath(new URL(BUNDLE_NAME, import.meta.url)), BUNDLE_BUILD);
  } catch {
    // A missing or damaged bundle costs its speed, not the run: the modules beside it hold the same code.
    return null;
  }
}
