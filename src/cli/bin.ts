#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { BUNDLE_NAME, loadBundle, type LoadedBundle } from './bundle-loader.js';
import { handleOutputFailures } from './output-failures.js';
import { limitHeapGrowth } from './heap-growth.js';
import { generatorName, versionOf } from './version.js';

/**
 * The build of the bundle beside this file: scripts/build-bundle.mjs writes it here when it bundles the modules
 * tsc has just written. tsc writes null again, so modules it rebuilds are never shadowed by an older bundle.
 */
const BUNDLE_BUILD: string | null = null;

const args = process.argv.slice(2);
// `--version` needs package.json only: answered before the bundle loads, which is most of a short run. main()
// answers it the same way for every other caller.
if (args.length === 1 && args[0] === '--version') {
  handleOutputFailures();
  process.stdout.write(`${versionOf(generatorName())}\n`);
} else {
  limitHeapGrowth();
  // A stack for a bug report must name exrelay's own source files and lines, not lines of the bundle: --debug
  // runs the modules, mapped back to the TypeScript by the source maps tsc writes beside them.
  const debug = args.includes('--debug');
  if (debug) process.setSourceMapsEnabled(true);
  const bundle = debug ? null : bundleOfThisBuild();
  if (bundle) await bundle.exports.run(args);
  else await (await import('./run.js')).run(args);
}

function bundleOfThisBuild(): LoadedBundle | null {
  // The bundle requires yargs and the HTML report's browser code, ES modules (not with --no-experimental-require-module).
  if (BUNDLE_BUILD === null || !process.features.require_module) return null;
  try {
    return loadBundle(fileURLToPath(new URL(BUNDLE_NAME, import.meta.url)), BUNDLE_BUILD);
  } catch {
    // A missing or damaged bundle costs its speed, not the run: the modules beside it hold the same code.
    return null;
  }
}
