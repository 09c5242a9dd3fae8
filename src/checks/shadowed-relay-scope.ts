import type { OrganizationAnalysis, ConnectorAnalysis } from '../analysis/analyze.js';
import type { ListenerOutcome } from '../analysis/precedence.js';
import { compareBounds, type Bound } from '../net/bound.js';
import type { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import type { Check, FindingDraft } from './check.js';
import { countText } from '../net/count-text.js';
import { listNames, listTexts, plural, scopeRanges } from './describe.js';
import { connectorAt, relays } from './precedence-text.js';
import { flat } from './flat.js';

export const shadowedRelayScope: Check = {
  meta: {
    id: 'shadowed-relay-scope',
    title: 'Relay scope received by more specific connectors',
    severityRule:
      'Info: the shadowed part relays nothing today, but removing or changing the other connector exposes it.',
    explanation:
      "Exchange hands each connection to the connector with the smallest RemoteIPRanges entry containing the sender. Parts of this relay connector's scope are won by other connectors, so its relay grant does not apply there; the audit scores only what it really receives, and lists the rest here.",
    messages: {
      shadowed: {
        description:
          'Addresses of the relay scope that more specific connectors receive instead (data.winners).',
        data: ['addresses', 'ranges', 'winners'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    // Made when the first shadowed connector needs it: most organisations have none.
    let listenersOf: ListenerOutcome[][] | undefined;
    const winnersOf = new Map<ListenerOutcome, WinnerIndex>();
    const winnerIndex = (listener: ListenerOutcome) => {
      let index = winnersOf.get(listener);
      if (!index) winnersOf.set(listener, (index = new WinnerIndex(listener)));
      return index;
    };
    for (const connector of analysis.connectors) {
      if (!connector.connector.enabled || !relays(connector)) continue;
      const shadowed: Record<IpFamily, IntervalSet> = {
        // Addresses lost only to Active Directory order are not shadowed: ambiguous-precedence reports them.
        4: connector.scope.configured[4].difference(connector.reachable[4]),
        6: connector.scope.configured[6].difference(connector.reachable[6]),
      };
      const count = shadowed[4].size() + shadowed[6].size();
      if (count === 0n) continue;
      const winners = shadowingConnectors(
        analysis,
        ((listenersOf ??= indexListeners(analysis)).at(connector.index) ?? []).map(winnerIndex),
        connector,
        shadowed,
      ).map((other) => other.connector.identity);
      const ranges = scopeRanges(shadowed);
      findings.push({
        messageId: 'shadowed',
        severity: 'info',
        connector: connector.connector.identity,
        subject: null,
        message: flat`${plural(count, 'address', 'addresses')} of its relay scope (${listTexts(ranges)}) ${count === 1n ? 'is' : 'are'} received by ${listNames(winners.map((name) => `'${name}'`))} instead; the relay grant does not apply there today.`,
        data: {
          addresses: countText(count),
          ranges,
          winners,
        },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};

/** The connectors that win those addresses on the listeners this connector competes on. */
function shadowingConnectors(
  analysis: OrganizationAnalysis,
  listeners: readonly WinnerIndex[],
  connector: ConnectorAnalysis,
  shadowed: Record<IpFamily, IntervalSet>,
): ConnectorAnalysis[] {
  const winners = new Set<number>();
  const found = (other: number) => {
    if (other !== connector.index) winners.add(other);
  };
  for (const listener of listeners) {
    const bounds = flatBounds(listener.family, shadowed[listener.family]);
    for (let index = 0; index < bounds.length; index += 2)
      listener.winnersOf(bounds[index]!, bounds[index + 1]!, found);
  }
  return [...winners].sort((a, b) => a - b).map((index) => connectorAt(analysis, index));
}

/**
 * A set's bounds flat, in the one kind an index of its family uses: numbers for IPv4 (no BigInt per bound; the
 * sets already hold them so), BigInts for IPv6.
 */
function flatBounds(family: IpFamily, addresses: IntervalSet): ArrayLike<Bound> {
  const numbers = family === 4 ? addresses.numberBounds() : null;
  if (numbers !== null) return numbers;
  const flat: Bound[] = [];
  addresses.map((lo, hi) => (family === 4 ? flat.push(Number(lo), Number(hi)) : flat.push(lo, hi)));
  return flat;
}

/**
 * Every interval a listener's connectors receive, sorted by start, to find who receives a given range without
 * intersecting every connector's set (20,000 nested relay connectors on one server took 7 s that way).
 * Connectors' sets rarely overlap (only across local addresses), so a running maximum of the ends bounds the scan.
 * Bounds are all numbers (IPv4) or all BigInts (IPv6), as flatBounds gives them.
 */
class WinnerIndex {
  readonly family: IpFamily;
  private readonly starts: Bound[];
  private readonly ends: Bound[];
  private readonly owners: number[];
  /** The largest end among the intervals up to each position. */
  private readonly reach: Bound[];

  constructor(listener: ListenerOutcome) {
    const family = (this.family = listener.family);
    // Gathered in columns sized up front and sorted by position: no object per interval (a listener holds tens
    // of thousands), no list regrown as it fills, and forEach makes no [owner, set] pair per connector.
    let length = 0;
    listener.effective.forEach((addresses) => (length += addresses.count()));
    const los = new Array<Bound>(length);
    const his = new Array<Bound>(length);
    const owners = new Array<number>(length);
    let at = 0;
    listener.effective.forEach((addresses, owner) => {
      const bounds = flatBounds(family, addresses);
      for (let index = 0; index < bounds.length; index += 2, at++) {
        los[at] = bounds[index]!;
        his[at] = bounds[index + 1]!;
        owners[at] = owner;
      }
    });
    this.starts = new Array<Bound>(length);
    this.ends = new Array<Bound>(length);
    this.owners = new Array<number>(length);
    this.reach = new Array<Bound>(length);
    let reach: Bound | undefined;
    at = 0;
    for (const position of sortedPositions(family, los)) {
      const hi = his[position]!;
      if (reach === undefined || hi > reach) reach = hi;
      this.starts[at] = los[position]!;
      this.ends[at] = hi;
      this.owners[at] = owners[position]!;
      this.reach[at] = reach;
      at++;
    }
  }

  /** Calls `found` with the owner of every interval that meets [lo, hi] (an owner may come more than once). */
  winnersOf(lo: Bound, hi: Bound, found: (owner: number) => void): void {
    // The last interval starting at or before hi; every earlier one that still reaches lo meets the range.
    let low = 0;
    let high = this.starts.length - 1;
    let last = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle]! <= hi) {
        last = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    for (let at = last; at >= 0 && this.reach[at]! >= lo; at--)
      if (this.ends[at]! >= lo) found(this.owners[at]!);
  }
}

/** The listeners of each connector, by its index: a connector competes on every listener it has an entry on. */
function indexListeners(analysis: OrganizationAnalysis): ListenerOutcome[][] {
  const index: ListenerOutcome[][] = [];
  for (let connector = 0; connector < analysis.connectors.length; connector++) index.push([]);
  for (const listener of analysis.precedence.listeners)
    for (const connector of listener.participants) index[connector]?.push(listener);
  return index;
}

/** Below this many intervals, an IPv4 bound and its position fit one exact number (2^32 * 2^21 = 2^53). */
const POSITIONS = 2 ** 21;

/** Positions ordered by their lower bound, equal bounds in position order (as a stable sort leaves them). */
function sortedPositions(family: IpFamily, los: readonly Bound[]): Iterable<number> {
  if (family === 4 && los.length <= POSITIONS) {
    // bound * 2^21 + position is exact and orders by bound, then position: a typed array sorts these keys
    // natively, with no comparator call for each of a listener's tens of thousands of intervals.
    const keys = new Float64Array(los.length);
    for (let position = 0; position < los.length; position++)
      keys[position] = (los[position] as number) * POSITIONS + position;
    keys.sort();
    const order = new Uint32Array(los.length);
    for (let at = 0; at < keys.length; at++) order[at] = keys[at]! % POSITIONS;
    return order;
  }
  return Array.from(los, (_, position) => position).sort((a, b) => compareBounds(los[a]!, los[b]!));
}
