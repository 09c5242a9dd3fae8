import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the heap grow to ~4x what survived its last full collection when collecting is cheap, which it is for
 * exrelay's few long-lived objects: a million-range organisation peaked at ~900 MB for ~250 MB live. Growing by
 * 80 % at most keeps the peak near twice the live size for a few percent more CPU (README, "Speed").
 *
 * Called before the bundle is compiled, in bin.js and in the build's warm-up run alike: V8 takes a code cache
 * only under the flags it was made with.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=80');
}
