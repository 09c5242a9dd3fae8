/**
 * The report's `takenBy` of each connector: the connectors that take addresses from it (captures) or win them by
 * enumeration order alone (ties), with what they take over both families.
 *
 * The precedence result's captures and ties are indexed by the connector that loses the addresses: two typed
 * arrays, made once, read as the report's connectors are written one after another; each connector's entries are
 * made when it is written and die young. A map per connector with an entry object per winner would live through
 * the whole report: ~24,000 entries on the 10,000-connector organisation, ~8 MB that scavenges copied and that
 * brought on a mark-compact near the end of the report.
 */

import type { ConnectorAnalysis, OrganizationAnalysis } from '../analysis/analyze.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { rangeTextsOnce, scopeRangeTexts } from '../net/range-texts.js';
import type { ReportTakenBy } from './report.js';

/** One capture or tie, seen from the connector that loses the addresses. */
interface Taking {
  from: number;
  winner: number;
  tie: boolean;
  family: IpFamily;
  addresses: IntervalSet;
}

export class TakenByIndex {
  readonly #analysis: OrganizationAnalysis;
  /** Capture numbers, then tie numbers after the captures', grouped by losing connector in precedence order. */
  readonly #order: Uint32Array;
  /** Where each connector's group starts in #order (one more entry: where the last one ends). */
  readonly #starts: Uint32Array;

  constructor(analysis: OrganizationAnalysis) {
    this.#analysis = analysis;
    const { captures, ties } = analysis.precedence;
    const count = captures.length + ties.length;
    // A counting sort by losing connector: stable, so each group keeps the precedence order.
    const starts = new Uint32Array(analysis.connectors.length + 1);
    for (let event = 0; event < count; event++) starts[this.#from(event) + 1]!++;
    for (let index = 1; index < starts.length; index++) starts[index]! += starts[index - 1]!;
    const next = starts.slice(0, -1);
    const order = new Uint32Array(count);
    for (let event = 0; event < count; event++) order[next[this.#from(event)]!++] = event;
    this.#order = order;
    this.#starts = starts;
  }

  /** What the other connectors take from connector `index`: one entry per winner and kind, by winner, captures first. */
  of(index: number): ReportTakenBy[] {
    const start = this.#starts[index]!;
    const end = this.#starts[index + 1]!;
    if (start === end) return [];
    const takings: Taking[] = [];
    for (let position = start; position < end; position++) takings.push(this.#taking(this.#order[position]!));
    // Stable: takings of one winner and kind stay in precedence order, the order their addresses are joined in.
    takings.sort((a, b) => a.winner - b.winner || Number(a.tie) - Number(b.tie));
    const entries: ReportTakenBy[] = [];
    for (let first = 0; first < takings.length;) {
      const { winner, tie } = takings[first]!;
      const addresses: Record<IpFamily, IntervalSet> = { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY };
      let last = first;
      for (
        ;
        last < takings.length && takings[last]!.winner === winner && takings[last]!.tie === tie;
        last++
      ) {
        const { family, addresses: taken } = takings[last]!;
        addresses[family] = addresses[family].union(taken);
      }
      entries.push({
        connector: (this.#analysis.connectors[winner] as ConnectorAnalysis).connector.identity,
        addresses: (addresses[4].size() + addresses[6].size()).toString(),
        ranges: scopeRangeTexts(addresses, rangeTextsOnce),
        tie,
      });
      first = last;
    }
    return entries;
  }

  #from(event: number): number {
    const { captures, ties } = this.#analysis.precedence;
    return event < captures.length ? captures[event]!.from : ties[event - captures.length]!.connectors[1];
  }

  #taking(event: number): Taking {
    const { captures, ties } = this.#analysis.precedence;
    if (event < captures.length) {
      const capture = captures[event]!;
      return {
        from: capture.from,
        winner: capture.winner,
        tie: false,
        family: capture.context.family,
        addresses: capture.addresses,
      };
    }
    const tie = ties[event - captures.length]!;
    return {
      from: tie.connectors[1],
      winner: tie.connectors[0],
      tie: true,
      family: tie.context.family,
      addresses: tie.addresses,
    };
  }
}
