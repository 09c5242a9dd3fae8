/**
 * A connector's RemoteIPRanges entries as the report's range records (ReportRange), made when they are read.
 */

import type { RangeAnalysis, RangeTable } from '../analysis/range-table.js';
import { countText } from '../net/count-text.js';
import { formatIpAddress } from '../net/ip-address.js';
import type { RangeList, ReportRange } from './report.js';

/**
 * A connector's range records, each made when it is read: the JSON writer takes them a slice at a time, so records
 * of a connector with 100,000 ranges die young instead of all living while it is written (they were ~60 MB of the
 * old generation per such connector). JSON.stringify writes them as an array.
 */
export class RangeRecords implements RangeList {
  readonly #ranges: RangeTable;
  readonly #records: RangeRecordMemo;
  /** The entries' texts, taken from the table when first read. */
  #texts: readonly string[] | null = null;

  constructor(ranges: RangeTable, records: RangeRecordMemo) {
    this.#ranges = ranges;
    this.#records = records;
  }

  get length(): number {
    return this.#ranges.length;
  }

  slice(start = 0, end = this.#ranges.length): ReportRange[] {
    const records: ReportRange[] = [];
    for (let index = Math.max(0, start); index < Math.min(end, this.#ranges.length); index++)
      records.push(this.#record(index));
    return records;
  }

  toJSON(): ReportRange[] {
    return this.slice();
  }

  *[Symbol.iterator](): Iterator<ReportRange> {
    for (let index = 0; index < this.#ranges.length; index++) yield this.#record(index);
  }

  #record(index: number): ReportRange {
    if (!this.#records.remembering) return reportRange(this.#ranges.at(index));
    const texts = (this.#texts ??= this.#ranges.textsWhere(() => true));
    return this.#records.record(this.#ranges, index, texts[index]!);
  }
}

/** Distinct entries remembered at most, used and unused ones together. */
const MAX_REMEMBERED = 10_000;
/** How often the memo checks that it pays: after this many entries it did not know. */
const CHECK_EVERY_MISSES = 1_000;

/**
 * Range records by text and by whether the connector uses the entry: the rest of a record follows from the text,
 * which the analysis parses and measures the same way wherever it is listed (scope-texts.ts). An organisation lists
 * the same few texts on many connectors (the 10,000-connector benchmark ~1,200 distinct ranges 50,000 times), and
 * making a record (the entry's BigInts, the texts of its bounds) costs more than looking it up: ~100 -> ~80 ms of
 * CPU for that benchmark's records. Like the analysis's memo it steps aside when most texts are new (a million
 * distinct entries), and it lives as long as one report.
 */
export class RangeRecordMemo {
  readonly #used = new Map<string, ReportRange>();
  readonly #unused = new Map<string, ReportRange>();
  #hits = 0;
  #misses = 0;
  #lookingUp = true;

  /** False once the memo has stepped aside: records are then made without their texts. */
  get remembering(): boolean {
    return this.#lookingUp;
  }

  /** The record of entry `index` of the table, whose text is `text`; remembered records are shared, frozen. */
  record(ranges: RangeTable, index: number, text: string): ReportRange {
    if (!this.#lookingUp) return reportRange(ranges.at(index));
    const known = ranges.unused(index) ? this.#unused : this.#used;
    const remembered = known.get(text);
    if (remembered !== undefined) {
      this.#hits++;
      return remembered;
    }
    const record = reportRange(ranges.at(index));
    if (this.#used.size + this.#unused.size < MAX_REMEMBERED) known.set(text, Object.freeze(record));
    if (++this.#misses % CHECK_EVERY_MISSES === 0 && this.#hits < this.#misses) {
      this.#lookingUp = false;
      this.#used.clear();
      this.#unused.clear();
    }
    return record;
  }
}

function reportRange(range: RangeAnalysis): ReportRange {
  const family = range.family;
  const first =
    family !== null && range.first !== null ? formatIpAddress({ family, value: range.first }) : null;
  return {
    text: range.text,
    family: family === null ? null : family === 4 ? 'IPv4' : 'IPv6',
    first,
    last:
      family === null || range.last === null
        ? null
        : range.last === range.first
          ? first
          : formatIpAddress({ family, value: range.last }),
    addresses: countText(range.addresses),
    scope: range.scope,
    public: range.publicAddresses > 0n,
    publicAddresses: countText(range.publicAddresses),
    score: range.score,
    format: range.format,
    unused: range.unused,
    error: range.error,
  };
}
