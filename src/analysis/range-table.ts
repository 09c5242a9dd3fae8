/**
 * A connector's RemoteIPRanges entries, measured, stored by column: a connector can list 100,000 entries and an
 * organisation a million, and one object per entry with its BigInts cost ~230 bytes where these columns cost ~35.
 * Entries are handed out as RangeAnalysis objects made when asked for (they die young); the columns an analysis
 * scans over every entry (parsed, unused, family, text) are read without making one.
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
  addresses: bigint;
  scope: ScopeClass;
  publicAddresses: bigint;
  score: number;
  unused: boolean;
}

const FORMATS: readonly RangeFormat[] = ['SingleAddress', 'CIDR', 'LoHi', 'Netmask'];
const SCOPES: readonly ScopeClass[] = ['host', 'range', 'network', 'internet'];

// One byte per entry: format (bits 0-2, 0 = unparsed), family IPv6 (bit 3), scope (bits 4-6), unused (bit 7).
const FORMAT_MASK = 0b111;
const IPV6_BIT = 1 << 3;
const SCOPE_SHIFT = 4;
const SCOPE_MASK = 0b111;
const UNUSED_BIT = 1 << 7;
const HOST_CODE = SCOPES.indexOf('host') + 1;

/** Up to this many addresses, equal range sizes share one BigInt (hosts, small networks: most entries). */
const SHARED_COUNTS: bigint[] = [];
const SHARED_COUNT_LIMIT = 1024n;

export function sharedCount(count: bigint): bigint {
  if (count > SHARED_COUNT_LIMIT) return count;
  return (SHARED_COUNTS[Number(count)] ??= count);
}

/** Bounds and public count of an IPv6 entry, which do not fit a double. */
interface WideBounds {
  first: bigint;
  last: bigint;
  publicAddresses: bigint;
}

export class RangeTable {
  readonly length: number;
  readonly #texts: readonly string[];
  readonly #packed: Uint8Array;
  /** Scores are whole numbers from 0 to 100 (scoring.ts). */
  readonly #scores: Uint8Array;
  // IPv4 bounds fit 32 bits and public counts are exact doubles; IPv6 entries keep BigInts in #wide.
  readonly #first: Uint32Array;
  readonly #last: Uint32Array;
  readonly #public: Float64Array;
  readonly #wide = new Map<number, WideBounds>();
  readonly #errors = new Map<number, string>();

  /** Room for one entry per text; each is filled by `measured` or `unparsed` before the table is read. */
  constructor(texts: readonly string[]) {
    this.length = texts.length;
    this.#texts = texts;
    this.#packed = new Uint8Array(texts.length);
    this.#scores = new Uint8Array(texts.length);
    this.#first = new Uint32Array(texts.length);
    this.#last = new Uint32Array(texts.length);
    this.#public = new Float64Array(texts.length);
  }

  measured(index: number, range: MeasuredRange): void {
    this.#packed[index] =
      (FORMATS.indexOf(range.format) + 1) |
      (range.family === 6 ? IPV6_BIT : 0) |
      ((SCOPES.indexOf(range.scope) + 1) << SCOPE_SHIFT) |
      (range.unused ? UNUSED_BIT : 0);
    if (!Number.isInteger(range.score) || range.score < 0 || range.score > 255)
      throw new RangeError(`score ${range.score} does not fit the table (programming error)`);
    this.#scores[index] = range.score;
    if (range.family === 6) {
      this.#wide.set(index, {
        first: range.first,
        last: range.last,
        publicAddresses: range.publicAddresses,
      });
      return;
    }
    this.#first[index] = Number(range.first);
    this.#last[index] = Number(range.last);
    this.#public[index] = Number(range.publicAddresses);
  }

  unparsed(index: number, reason: string): void {
    this.#packed[index] = UNUSED_BIT;
    this.#errors.set(index, reason);
  }

  text(index: number): string {
    return this.#texts[index]!;
  }

  /** True when the entry parsed (its error is null). */
  parsed(index: number): boolean {
    return (this.#packed[index]! & FORMAT_MASK) !== 0;
  }

  /** True for an entry Exchange never matches: unparsed, or of a family the connector has no binding for. */
  unused(index: number): boolean {
    return (this.#packed[index]! & UNUSED_BIT) !== 0;
  }

  /** The family of a parsed entry; null when it did not parse. */
  family(index: number): IpFamily | null {
    if (!this.parsed(index)) return null;
    return (this.#packed[index]! & IPV6_BIT) !== 0 ? 6 : 4;
  }

  /** True for a parsed entry of one address. */
  isHost(index: number): boolean {
    return ((this.#packed[index]! >> SCOPE_SHIFT) & SCOPE_MASK) === HOST_CODE;
  }

  /** True for a parsed entry holding at least one public address. */
  holdsPublic(index: number): boolean {
    if ((this.#packed[index]! & IPV6_BIT) !== 0) return this.#wide.get(index)!.publicAddresses > 0n;
    return this.#public[index]! > 0;
  }

  /** The lower bound of a parsed entry: a number for IPv4, a BigInt for IPv6 (no BigInt is made for IPv4). */
  first(index: number): Bound {
    return (this.#packed[index]! & IPV6_BIT) !== 0 ? this.#wide.get(index)!.first : this.#first[index]!;
  }

  /** The upper bound of a parsed entry, like `first`. */
  last(index: number): Bound {
    return (this.#packed[index]! & IPV6_BIT) !== 0 ? this.#wide.get(index)!.last : this.#last[index]!;
  }

  /** The entry as one object, made now. */
  at(index: number): RangeAnalysis {
    const packed = this.#packed[index]!;
    const text = this.#texts[index]!;
    const format = packed & FORMAT_MASK;
    if (format === 0) {
      return {
        text,
        error: this.#errors.get(index) ?? null,
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
    const wide = (packed & IPV6_BIT) !== 0 ? this.#wide.get(index) : undefined;
    const first = wide ? wide.first : BigInt(this.#first[index]!);
    const last = wide
      ? wide.last
      : this.#last[index] === this.#first[index]
        ? first
        : BigInt(this.#last[index]!);
    return {
      text,
      error: null,
      format: FORMATS[format - 1]!,
      family: (packed & IPV6_BIT) !== 0 ? 6 : 4,
      first,
      last,
      addresses: sharedCount(last - first + 1n),
      scope: SCOPES[((packed >> SCOPE_SHIFT) & SCOPE_MASK) - 1]!,
      publicAddresses: wide ? wide.publicAddresses : sharedCount(BigInt(this.#public[index]!)),
      score: this.#scores[index]!,
      unused: (packed & UNUSED_BIT) !== 0,
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
