/**
 * A connector's RemoteIPRanges entries, measured, stored by column: a connector can list 100,000 entries and an
 * organisation a million, and one object per entry with its BigInts cost ~230 bytes where these columns cost ~35.
 * Entries are handed out as RangeAnalysis objects made when asked for (they die young); the columns an analysis
 * scans over every entry (parsed, unused, family, text) are read without making one.
 *
 * A short table whose measures are all shared (scope-texts.ts remembers one per distinct text, and an
 * organisation lists the same few texts on many connectors) keeps references to them instead of the bound and
 * count columns: one list instead of three to six per connector.
 */

import type { Bound } from '../net/bound.js';
import type { IpFamily } from '../net/ip-address.js';
import type { RangeFormat } from '../net/ip-range.js';

export type ScopeClass = 'host' | 'range' | 'network' | 'internet';

export interface RangeAnalysis {
  text: string;
  /** Why the entry could not be parsed; null when it parsed. */
  error: string | null;
  format: RangeFormat | null;
  family: IpFamily | null;
  first: bigint | null;
  last: bigint | null;
  addresses: bigint;
  scope: ScopeClass | null;
  publicAddresses: bigint;
  /** Exposure score if unauthenticated relay were granted on this entry alone. */
  score: number;
  /** No binding of this family: Exchange never matches the entry. */
  unused: boolean;
}

/** A parsed entry as the scope analysis measured it. */
export interface MeasuredRange {
  format: RangeFormat;
  family: IpFamily;
  first: bigint;
  last: bigint;
  /** first and last as numbers for IPv4 (sets of numbers need no BigInt), the BigInts for IPv6. */
  low: Bound;
  high: Bound;
  addresses: bigint;
  scope: ScopeClass;
  publicAddresses: bigint;
  score: number;
}

const FORMATS: readonly RangeFormat[] = ['SingleAddress', 'CIDR', 'LoHi', 'Netmask'];
const SCOPES: readonly ScopeClass[] = ['host', 'range', 'network', 'internet'];

// A code per entry: format (bits 0-2, 0 = unparsed), family IPv6 (bit 3), scope (bits 4-6), unused (bit 7), and
// the score (bits 8-15: scores are whole numbers from 0 to 100, scoring.ts).
const FORMAT_MASK = 0b111;
const IPV6_BIT = 1 << 3;
const SCOPE_SHIFT = 4;
const SCOPE_MASK = 0b111;
const UNUSED_BIT = 1 << 7;
const SCORE_SHIFT = 8;
const HOST_CODE = SCOPES.indexOf('host') + 1;

/** Up to this many addresses, equal range sizes share one BigInt (hosts, small networks: most entries). */
const SHARED_COUNTS: bigint[] = [];
const SHARED_COUNT_LIMIT = 1024n;

export function sharedCount(count: bigint): bigint {
  if (count > SHARED_COUNT_LIMIT) return count;
  return (SHARED_COUNTS[Number(count)] ??= count);
}

/**
 * Bounds and public counts of IPv6 entries, which do not fit a double: a BigInt column each, indexed like the
 * table (a map of one object per entry cost ~100 bytes more per entry).
 */
interface WideColumns {
  first: bigint[];
  last: bigint[];
  publicAddresses: bigint[];
}

/** A column of numbers: a typed array for a long table, a plain array for a short one (see `column`). */
type Column = { [index: number]: number };

/** Up to this many entries, columns are plain arrays: a typed array costs ~200 bytes of its own. */
const SHORT_TABLE = 8;

function column(length: number, typed: new (length: number) => Column): Column {
  return length <= SHORT_TABLE ? new Array<number>(length).fill(0) : new typed(length);
}

/** Up to this many entries, a table may keep its measures by reference (see the file comment). */
const SHARED_TABLE = 1024;

/** IPv4 bounds and public counts, by column: they fit 32 bits and exact doubles. */
interface NarrowColumns {
  first: Column;
  last: Column;
  publicAddresses: Column;
}

export class RangeTable {
  readonly length: number;
  readonly #texts: readonly string[];
  readonly #codes: Column;
  /** Every parsed entry's measure, shared with other tables; null once any entry is kept by value. */
  #shared: MeasuredRange[] | null = null;
  // Entries kept by value: IPv4 ones in #narrow, IPv6 ones (BigInts) in #wide; made when first needed.
  #narrow: NarrowColumns | null = null;
  #wide: WideColumns | null = null;
  #errors: Map<number, string> | null = null;

  /** Room for one entry per text; each is filled by `measured` or `unparsed` before the table is read. */
  constructor(texts: readonly string[]) {
    this.length = texts.length;
    this.#texts = texts;
    this.#codes = column(texts.length, Uint16Array);
  }

  /**
   * `unused`: the connector has no binding of the entry's family. `shared`: the measure is shared and never
   * changed (a remembered answer), so the table may keep a reference to it instead of copying its values.
   */
  measured(index: number, range: MeasuredRange, unused: boolean, shared = false): void {
    if (!Number.isInteger(range.score) || range.score < 0 || range.score > 255)
      throw new RangeError(`score ${range.score} does not fit the table (programming error)`);
    this.#codes[index] =
      (FORMATS.indexOf(range.format) + 1) |
      (range.family === 6 ? IPV6_BIT : 0) |
      ((SCOPES.indexOf(range.scope) + 1) << SCOPE_SHIFT) |
      (unused ? UNUSED_BIT : 0) |
      (range.score << SCORE_SHIFT);
    const byReference = shared && this.length <= SHARED_TABLE && this.#narrow === null && this.#wide === null;
    if (byReference) {
      (this.#shared ??= new Array<MeasuredRange>(this.length))[index] = range;
      return;
    }
    // One way for the whole table: entries kept by reference so far are copied into the columns.
    const earlier = this.#shared;
    this.#shared = null;
    if (earlier !== null) earlier.forEach((measure, position) => this.#store(position, measure));
    this.#store(index, range);
  }

  #store(index: number, range: MeasuredRange): void {
    if (range.family === 6) {
      const wide = (this.#wide ??= {
        first: new Array<bigint>(this.length),
        last: new Array<bigint>(this.length),
        publicAddresses: new Array<bigint>(this.length),
      });
      wide.first[index] = range.first;
      wide.last[index] = range.last;
      wide.publicAddresses[index] = range.publicAddresses;
      return;
    }
    const narrow = (this.#narrow ??= {
      first: column(this.length, Uint32Array),
      last: column(this.length, Uint32Array),
      publicAddresses: column(this.length, Float64Array),
    });
    narrow.first[index] = Number(range.first);
    narrow.last[index] = Number(range.last);
    narrow.publicAddresses[index] = Number(range.publicAddresses);
  }

  unparsed(index: number, reason: string): void {
    this.#codes[index] = UNUSED_BIT;
    (this.#errors ??= new Map()).set(index, reason);
  }

  /** True when the entry parsed (its error is null). */
  parsed(index: number): boolean {
    return (this.#codes[index]! & FORMAT_MASK) !== 0;
  }

  /** True for an entry Exchange never matches: unparsed, or of a family the connector has no binding for. */
  unused(index: number): boolean {
    return (this.#codes[index]! & UNUSED_BIT) !== 0;
  }

  /** The family of a parsed entry; null when it did not parse. */
  family(index: number): IpFamily | null {
    if (!this.parsed(index)) return null;
    return (this.#codes[index]! & IPV6_BIT) !== 0 ? 6 : 4;
  }

  /** True for a parsed entry of one address. */
  isHost(index: number): boolean {
    return ((this.#codes[index]! >> SCOPE_SHIFT) & SCOPE_MASK) === HOST_CODE;
  }

  /** True for a parsed entry holding at least one public address. */
  holdsPublic(index: number): boolean {
    if (this.#shared !== null) return this.#shared[index]!.publicAddresses > 0n;
    if ((this.#codes[index]! & IPV6_BIT) !== 0) return this.#wide!.publicAddresses[index]! > 0n;
    return this.#narrow!.publicAddresses[index]! > 0;
  }

  /** The lower bound of a parsed entry: a number for IPv4, a BigInt for IPv6 (no BigInt is made for IPv4). */
  first(index: number): Bound {
    if (this.#shared !== null) return this.#shared[index]!.low;
    return (this.#codes[index]! & IPV6_BIT) !== 0 ? this.#wide!.first[index]! : this.#narrow!.first[index]!;
  }

  /** The upper bound of a parsed entry, like `first`. */
  last(index: number): Bound {
    if (this.#shared !== null) return this.#shared[index]!.high;
    return (this.#codes[index]! & IPV6_BIT) !== 0 ? this.#wide!.last[index]! : this.#narrow!.last[index]!;
  }

  /** The entry as one object, made now. */
  at(index: number): RangeAnalysis {
    const code = this.#codes[index]!;
    const text = this.#texts[index]!;
    const format = code & FORMAT_MASK;
    if (format === 0) {
      return {
        text,
        error: this.#errors?.get(index) ?? null,
        format: null,
        family: null,
        first: null,
        last: null,
        addresses: 0n,
        scope: null,
        publicAddresses: 0n,
        score: 0,
        unused: true,
      };
    }
    const shared = this.#shared?.[index];
    if (shared !== undefined) {
      return {
        text,
        error: null,
        format: shared.format,
        family: shared.family,
        first: shared.first,
        last: shared.last,
        addresses: shared.addresses,
        scope: shared.scope,
        publicAddresses: shared.publicAddresses,
        score: shared.score,
        unused: (code & UNUSED_BIT) !== 0,
      };
    }
    const wide = (code & IPV6_BIT) !== 0 ? this.#wide : null;
    const narrow = this.#narrow!;
    const first = wide ? wide.first[index]! : BigInt(narrow.first[index]!);
    const last = wide
      ? wide.last[index]!
      : narrow.last[index] === narrow.first[index]
        ? first
        : BigInt(narrow.last[index]!);
    return {
      text,
      error: null,
      format: FORMATS[format - 1]!,
      family: (code & IPV6_BIT) !== 0 ? 6 : 4,
      first,
      last,
      addresses: sharedCount(last - first + 1n),
      scope: SCOPES[((code >> SCOPE_SHIFT) & SCOPE_MASK) - 1]!,
      publicAddresses: wide
        ? wide.publicAddresses[index]!
        : sharedCount(BigInt(narrow.publicAddresses[index]!)),
      score: code >> SCORE_SHIFT,
      unused: (code & UNUSED_BIT) !== 0,
    };
  }

  /** Entries `start` (inclusive) to `end` (exclusive), as objects. */
  slice(start = 0, end = this.length): RangeAnalysis[] {
    const entries: RangeAnalysis[] = [];
    for (let index = Math.max(0, start); index < Math.min(end, this.length); index++)
      entries.push(this.at(index));
    return entries;
  }

  /** The entries for which `keep` holds, as objects; `keep` reads the cheap columns by index. */
  where(keep: (index: number, table: RangeTable) => boolean): RangeAnalysis[] {
    const entries: RangeAnalysis[] = [];
    for (let index = 0; index < this.length; index++) if (keep(index, this)) entries.push(this.at(index));
    return entries;
  }

  /** Whether `test` holds for some entry; `test` reads the cheap columns by index. */
  some(test: (index: number, table: RangeTable) => boolean): boolean {
    for (let index = 0; index < this.length; index++) if (test(index, this)) return true;
    return false;
  }

  /** The texts of the entries for which `keep` holds, in order. */
  textsWhere(keep: (index: number, table: RangeTable) => boolean): string[] {
    const texts: string[] = [];
    for (let index = 0; index < this.length; index++) if (keep(index, this)) texts.push(this.#texts[index]!);
    return texts;
  }

  *[Symbol.iterator](): Iterator<RangeAnalysis> {
    for (let index = 0; index < this.length; index++) yield this.at(index);
  }
}
