/**
 * JSON texts written once and reused while one report is written: an organisation's connectors repeat the same
 * principals, binding and permission lists and range entries (the 10,000-connector benchmark writes 100,000 range
 * records of ~1,200 distinct entries and 100,000 principals of a few dozen). Every text is exactly what
 * JSON.stringify writes for the value; the caches live as long as the writer of one report.
 */

/**
 * Range records by index, with the two facts each is made of: its entry's text and whether the entry is unused
 * (report.ts, RangeRecords).
 */
export interface RangeSource {
  textAt(index: number): string;
  unusedAt(index: number): boolean;
  recordAt(index: number): unknown;
}

/** Distinct range entries remembered at most, per value of `unused`. */
const MAX_REMEMBERED_RANGES = 10_000;

/** How often the range cache checks that it pays: after this many entries it did not know. */
const CHECK_EVERY_MISSES = 1_000;

export class JsonTexts {
  /** Texts of values that cannot change (deeply frozen), by identity; each dies with its value. */
  readonly #frozen = new WeakMap<object, string>();
  readonly #seenOnce = new WeakSet<object>();
  /** Frozen values seen to hold something that is not: written by JSON.stringify each time. */
  readonly #mutable = new WeakSet<object>();
  readonly #usedRanges = new Map<string, string>();
  readonly #unusedRanges = new Map<string, string>();
  #rangeHits = 0;
  #rangeMisses = 0;
  #rangesLookedUp = true;

  /** JSON.stringify(value), remembered by identity when the value is deeply frozen. */
  of(value: unknown): string | undefined {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return JSON.stringify(value);
    const known = this.#frozen.get(value);
    if (known !== undefined) return known;
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined || this.#mutable.has(value)) return text;
    // Kept from the second time only: most connectors' effective ranges are frozen lists written once, and their
    // texts kept to the end of the report would grow with the organisation.
    if (!this.#seenOnce.has(value)) {
      this.#seenOnce.add(value);
      return text;
    }
    if (deeplyFrozen(value, MAX_FROZEN_DEPTH)) this.#frozen.set(value, text);
    else this.#mutable.add(value);
    return text;
  }

  /** Whether range records are looked up: while most entries repeat (else they are written as before). */
  get rangesLookedUp(): boolean {
    return this.#rangesLookedUp;
  }

  /**
   * JSON.stringify of record `index`, or the text written for an earlier record of the same entry text and unused
   * flag: a record is a function of those two alone (report.ts, reportRange), so they are its key.
   */
  range(source: RangeSource, index: number): string {
    const text = source.textAt(index);
    const known = source.unusedAt(index) ? this.#unusedRanges : this.#usedRanges;
    const remembered = known.get(text);
    if (remembered !== undefined) {
      this.#rangeHits++;
      return remembered;
    }
    const written = JSON.stringify(source.recordAt(index));
    if (known.size < MAX_REMEMBERED_RANGES) known.set(text, written);
    // Entries that never repeat (the million-range stress input) would cost a look-up and a map entry each.
    if (++this.#rangeMisses % CHECK_EVERY_MISSES === 0 && this.#rangeHits < this.#rangeMisses) {
      this.#rangesLookedUp = false;
      this.#usedRanges.clear();
      this.#unusedRanges.clear();
    }
    return written;
  }
}

/** How deep a value is looked into to prove it cannot change (a list of principal objects is depth 2). */
const MAX_FROZEN_DEPTH = 3;

/**
 * True when neither the value nor anything in it can change, so its JSON text cannot either: frozen plain arrays
 * and objects (no toJSON, no getters) down to primitives.
 */
function deeplyFrozen(value: object, depth: number): boolean {
  if (depth === 0 || !Object.isFrozen(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Array.prototype && prototype !== Object.prototype && prototype !== null) return false;
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in descriptor)) return false;
    const field = descriptor.value as unknown;
    if (typeof field === 'function') return false;
    if (typeof field === 'object' && field !== null && !deeplyFrozen(field, depth - 1)) return false;
  }
  return true;
}
