import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flags of a run, set before the bundle is compiled, in bin.js and in the build's warm-up run alike: V8
 * takes a code cache only under the flags it was made with.
 *
 * - Heap growth: V8 lets the heap grow to ~4x what survived its last full collection when collecting is cheap,
 *   which it is for exrelay's few long-lived objects: a million-range organisation peaked at ~900 MB for ~250 MB
 *   live. Growing by 50 % at most keeps the peak under twice the live size (~500 MB there; 80 % gave 620-640 MB)
 *   for ~5-10 % more CPU, and the same wall time on two cores (README, "Speed").
 * - Interrupt budget, 8x V8's default: a function is optimised after 8x as much work in the interpreter and
 *   baseline code. Most of a short run (a few MB of exports) went into optimising functions it then barely used:
 *   `analyze` of the sample took ~40 ms less wall time and ~100 ms less CPU, the 10,000-connector snapshot the same
 *   wall time for ~15 % less CPU (scripts/bench.mjs).
 */
export function setV8Flags(): void {
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--interrupt-budget=540672');
}
