/**
 * The bundle `npm run build` makes beside bin.js (scripts/build-bundle.mjs): every exrelay module in one script,
 * with V8's code cache of a typical run. Node 20 has no compile cache for ES modules, and resolving, reading and
 * compiling about a hundred of them cold is most of a short run; one script compiled from its cache is not.
 * The bundle is optional: without it, or after tsc has rebuilt the modules, bin.js loads them as before.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

export const BUNDLE_NAME = 'exrelay.bundle.cjs';
export const CODE_CACHE_NAME = 'exrelay.bundle.cache';

/** A bundle's first line names its build; its code cache starts with the same line, so that no other is used. */
const BUILD_LINE = /^\/\/ exrelay-build ([0-9a-f]{32})\n/;

export interface BundleExports {
  run(args: readonly string[]): Promise<never>;
}

export interface LoadedBundle {
  exports: BundleExports;
  script: Script;
  buildId: string;
  /** True when V8 compiled the bundle without a code cache (none, or made by another node version or flags). */
  compiledCold: boolean;
}

/**
 * Compiles and evaluates the bundle (it only defines functions until run() is called); null when it is not of
 * the build expected (undefined: whichever it is, as the build script takes it).
 */
export function loadBundle(file: string, expectedBuild: string | undefined): LoadedBundle | null {
  // Latin-1 is the cheaper decoding, and the same text: the build refuses a bundle with a character beyond ASCII.
  const source = readFileSync(file, 'latin1');
  const buildId = BUILD_LINE.exec(source)?.[1];
  if (buildId === undefined || (expectedBuild !== undefined && buildId !== expectedBuild)) return null;
  const cachedData = readCodeCache(join(dirname(file), CODE_CACHE_NAME), buildId);
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {'use strict';${source}\n})`,
    {
      filename: file,
      cachedData,
    },
  );
  const module = { exports: {} as BundleExports };
  const evaluate = script.runInThisContext() as (...args: unknown[]) => void;
  evaluate(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    script,
    buildId,
    compiledCold: cachedData === undefined || script.cachedDataRejected === true,
  };
}

/**
 * The code cache V8 holds for the bundle now (with every function compiled so far), headed by its build, the
 * node that made it and a digest. V8 takes a damaged cache of the right length as it is and stops the process,
 * so none is given to it; nor one made by another node version or platform (a package is packed on one).
 */
export function codeCacheOf(bundle: LoadedBundle): Buffer {
  const payload = bundle.script.createCachedData();
  return Buffer.concat([Buffer.from(cacheHeader(bundle.buildId, payload)), payload]);
}

function cacheHeader(buildId: string, payload: Buffer): string {
  const node = `${process.version} ${process.platform}-${process.arch}`;
  return `exrelay-build ${buildId} ${node} sha256 ${createHash('sha256').update(payload).digest('hex')}\n`;
}

/** The cache made for this build, without its header; undefined when there is none for it, or it is damaged. */
function readCodeCache(file: string, buildId: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const headerEnd = data.indexOf(0x0a);
  if (headerEnd < 0 || headerEnd > 200) return undefined;
  const payload = data.subarray(headerEnd + 1);
  return data.subarray(0, headerEnd + 1).toString('latin1') === cacheHeader(buildId, payload)
    ? payload
    : undefined;
}
