/**
 * How large the values a change script computes may grow. Thirty doublings of a string or a list in a loop make a
 * billion characters or items: without a limit the review would end in an internal error or a crash of Node.js
 * itself. A statement whose value outgrows these sizes is listed as not evaluated, like anything else exrelay
 * cannot follow. Real change scripts stay far below them.
 */

import type { Value } from './values.js';

/** Characters in one string (a RemoteIPRanges list of 1,000,000 entries written out is ~20,000,000). */
export const MAX_TEXT_LENGTH = 50_000_000;
/** Items in one collection, or in the output of one statement (twice the 1,000,000 ranges exrelay is tested on). */
export const MAX_ITEMS = 2_000_000;

export class ValueTooLarge extends Error {
  constructor(what: string) {
    super(`it builds ${what}, more than exrelay follows`);
  }
}

/** Throws ValueTooLarge when `value` is larger than a script's values may be; returns it otherwise. */
export function withinLimits<T extends Value>(value: T): T {
  if (typeof value === 'string' && value.length > MAX_TEXT_LENGTH)
    throw new ValueTooLarge(`a string of ${value.length.toLocaleString('en-US')} characters`);
  if (value !== null && typeof value === 'object' && value.kind === 'array') checkItems(value.items.length);
  return value;
}

/** Appends `items` one by one (a spread of more than ~100,000 arguments overflows the stack), within MAX_ITEMS. */
export function appendAll(target: Value[], items: readonly Value[]): void {
  checkItems(target.length + items.length);
  for (const item of items) target.push(item);
}

function checkItems(count: number): void {
  if (count > MAX_ITEMS) throw new ValueTooLarge(`a collection of ${count.toLocaleString('en-US')} items`);
}

const ENGINE_LIMIT = /^(Invalid (string|array) length|Maximum call stack size exceeded)/;

/** Runs `work`, turning the RangeError of a string or array the JavaScript engine cannot make into ValueTooLarge. */
export function guardSize<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError && ENGINE_LIMIT.test(error.message))
      throw new ValueTooLarge('a value too large to hold');
    throw error;
  }
}
