import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the heap grow to ~4x what survived its last full collection when collecting is cheap, which it is for
 * exrelay's few long-lived objects: a million-range organisation peaked at ~900 MB for ~250 MB live. Growing by
 * 50 % at most keeps the peak under twice the live size (~500 MB there; 80 % gave 620-640 MB) for ~5-10 % more
 * CPU, and the same wall time on two cores (README, "Speed").
 *
 * Called before the bundle is compiled, in bin.js and in the build's warm-up run alike: V8 takes a code cache
 * only under the flags it was made with.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
