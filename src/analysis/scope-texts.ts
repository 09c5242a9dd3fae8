/**
 * RemoteIPRanges and Bindings texts parsed (and ranges measured) once per analysis: an organisation lists the same
 * few texts on many connectors (the 10,000-connector benchmark lists ~1,200 distinct ranges 50,000 times and 10
 * distinct bindings 20,000 times), and parsing, classifying and scoring an entry cost more than looking it up.
 */

import { parseBinding, type Binding } from '../net/binding.js';
import { publicCount } from '../net/address-classes.js';
import { isWholeFamily, parseRemoteIpRange, rangeSize } from '../net/ip-range.js';
import { sharedCount, type MeasuredRange, type ScopeClass } from './range-table.js';
import { measureRange, relayExposureScore } from './scoring.js';

/** A parsed entry measured on its own; whether the connector uses it depends on its bindings (connector-scope.ts). */
export interface RangeMeasure extends MeasuredRange {
  ok: true;
}

export type RangeMeasureResult = RangeMeasure | { ok: false; reason: string };

/**
 * Distinct texts remembered at most, of each kind: a connector with a million distinct entries must not keep a
 * million answers alive to the end of the analysis. Past the limit, new texts are parsed and not remembered.
 */
const MAX_REMEMBERED = 10_000;

export class ScopeTexts {
  readonly #ranges = new TextMemo<RangeMeasureResult>(measureText);
  readonly #bindings = new TextMemo<Binding | null>(parseBinding);

  /** The range, parsed and measured; answers are shared and must not be changed. */
  range(text: string): RangeMeasureResult {
    return this.#ranges.get(text);
  }

  /**
   * Whether the answer is remembered and goes to every connector that lists its text: those are frozen, and only
   * those (a range table may then keep a reference to it).
   */
  isShared(answer: RangeMeasureResult): boolean {
    return Object.isFrozen(answer);
  }

  /** The binding, or null when it does not parse; answers are shared and must not be changed. */
  binding(text: string): Binding | null {
    return this.#bindings.get(text);
  }
}

/** How often the memo checks that it pays: after this many texts it did not know. */
const CHECK_EVERY_MISSES = 1_000;

/**
 * Answers by text, up to MAX_REMEMBERED of them. Lookups continue only while they pay: when most texts are new
 * (a million distinct entries), the memo steps aside and every text is computed, as without a memo; filling it
 * with answers nobody asks for again cost the million-range stress input ~20 % more CPU in the analysis.
 */
class TextMemo<T> {
  readonly #known = new Map<string, { answer: T }>();
  readonly #compute: (text: string) => T;
  #hits = 0;
  #misses = 0;
  #lookingUp = true;

  constructor(compute: (text: string) => T) {
    this.#compute = compute;
  }

  get(text: string): T {
    if (!this.#lookingUp) return this.#compute(text);
    const known = this.#known.get(text);
    if (known !== undefined) {
      this.#hits++;
      return known.answer;
    }
    const answer = this.#compute(text);
    // A remembered answer goes to every connector that lists the text: frozen, so none can change another's.
    if (this.#known.size < MAX_REMEMBERED) this.#known.set(text, { answer: Object.freeze(answer) });
    if (++this.#misses % CHECK_EVERY_MISSES === 0 && this.#hits < this.#misses) {
      this.#lookingUp = false;
      this.#known.clear();
    }
    return answer;
  }
}

/** Scope classes describe raw sizes; scores use IPv4-equivalent sizes (scoring.ts). */
function scopeClass(count: bigint, whole: boolean): ScopeClass {
  if (whole) return 'internet';
  if (count === 1n) return 'host';
  return count <= 256n ? 'range' : 'network';
}

function measureText(text: string): RangeMeasureResult {
  const parsed = parseRemoteIpRange(text);
  if (!parsed.ok) return parsed;
  const { range, format } = parsed;
  const addresses = sharedCount(rangeSize(range));
  const publicAddresses = publicCount(range);
  const wide = range.family === 6;
  return {
    ok: true,
    format,
    family: range.family,
    first: range.first,
    last: range.last,
    low: wide ? range.first : Number(range.first),
    high: wide ? range.last : Number(range.last),
    addresses,
    scope: scopeClass(addresses, isWholeFamily(range)),
    publicAddresses,
    score: relayExposureScore(measureRange(range.family, addresses, publicAddresses), addresses === 1n),
  };
}
