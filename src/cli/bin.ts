#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { BUNDLE_NAME, loadBundle, type LoadedBundle } from './bundle-loader.js';
import { limitHeapGrowth } from './heap-growth.js';

limitHeapGrowth();

/**
 * The build of the bundle beside this file: scripts/build-bundle.mjs writes it here when it bundles the modules
 * tsc has just written. tsc writes null again, so modules it rebuilds are never shadowed by an older bundle.
 */
const BUNDLE_BUILD: string | null = null;

const args = process.argv.slice(2);
// A stack for a bug report must name exrelay's own source files and lines, not lines of the bundle: --debug
// runs the modules, mapped back to the TypeScript by the source maps tsc writes beside them.
const debug = args.includes('--debug');
if (debug) process.setSourceMapsEnabled(true);
let bundle: LoadedBundle | null = null;
// The bundle requires yargs and the HTML report's browser code, ES modules (not with --no-experimental-require-module).
if (BUNDLE_BUILD !== null && !debug && process.features.require_module) {
  try {
    bundle = loadBundle(fileURLToPath(new URL(BUNDLE_NAME, import.meta.url)), BUNDLE_BUILD);
  } catch {
    // A missing or damaged bundle costs its speed, not the run: the modules beside it hold the same code.
    bundle = null;
  }
}
if (bundle) await bundle.exports.run(args);
else await (await import('./run.js')).run(args);
