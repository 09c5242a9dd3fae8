/**
 * Which connector really receives each remote address (exchange-domain.md §3.1). Per server, transport role,
 * port and address family, every enabled connector's ranges compete: the smallest range containing the address
 * wins; on equal size a connector bound to the specific local IP beats one bound to the wildcard; an exact tie
 * between two connectors of the same kind is decided by AD enumeration order, which is undocumented (ambiguous).
 * Computed with a sweep over range endpoints (segment-sweep.ts): O(n log n) per listener, also when one connector
 * holds 100,000 nested ranges.
 */

import { compareBounds, countBetween, plusOne, type Bound } from '../net/bound.js';
import { familySets } from '../net/family-sets.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { isTie, sweepSegments, type Candidate } from './segment-sweep.js';

/** One RemoteIPRanges entry of one enabled connector on one of its bindings. */
export interface ListenerEntry {
  /** Index of the connector in the caller's list; also its AD enumeration order. */
  connector: number;
  /** Local address of the binding; null for the wildcard (0.0.0.0 or [::]). */
  localAddress: bigint | null;
  /** Numbers (IPv4) or BigInts, one kind in all entries of a listener (bound.ts). */
  first: Bound;
  last: Bound;
  /** last - first + 1 when the caller has it already; else computed. */
  size?: Bound;
}

export interface Listener {
  server: string;
  transportRole: string;
  port: number;
  family: IpFamily;
  entries: ListenerEntry[];
}

/** Where a set of addresses was decided: a listener (over all its local addresses). */
export interface ListenerKey {
  server: string;
  transportRole: string;
  port: number;
  family: IpFamily;
}

/** Addresses two connectors tie for on some local address of the listener. */
export interface Tie {
  context: ListenerKey;
  /** The connectors tied, in enumeration order: the first one receives the mail today. */
  connectors: [number, number];
  addresses: IntervalSet;
}

/** Addresses `winner` receives (on some local address) that `from` would receive if `winner` did not exist. */
export interface Capture {
  context: ListenerKey;
  winner: number;
  from: number;
  addresses: IntervalSet;
}

/** What each connector receives on one listener (server, role, port, family), over all its local addresses. */
export interface ListenerOutcome {
  server: string;
  transportRole: string;
  port: number;
  family: IpFamily;
  /** Every connector with an entry on this listener, winning or not. */
  participants: number[];
  effective: Map<number, IntervalSet>;
}

export interface PrecedenceResult {
  /** Per connector and family, the addresses it actually receives on some listener. */
  effective: Map<number, Record<IpFamily, IntervalSet>>;
  listeners: ListenerOutcome[];
  ties: Tie[];
  captures: Capture[];
}

/** An entry with its size: the caller's own object when it gave the size (a million entries need no copies). */
type EntryCandidate = ListenerEntry & Candidate;

/** Two connectors of a listener: addresses `winner` receives that `from` would receive without it. */
interface Pair {
  winner: number;
  from: number;
  tie: boolean;
  /** Bounds flat, lo and hi in turn. */
  bounds: Bound[];
}

/**
 * `configured`, when the caller has it, gives each connector's whole scope: the union of its entries per family.
 * A connector that receives all of a family's part of it (alone on its listener, or never beaten) then gets those
 * very sets, and one that receives all of it gets that very record: equal scopes are one object, which the report
 * and the checks format and measure once.
 */
export function resolvePrecedence(
  listeners: readonly Listener[],
  configured?: (connector: number) => Readonly<Record<IpFamily, IntervalSet>>,
): PrecedenceResult {
  const wholeSet = (connector: number, family: IpFamily) => configured?.(connector)[family];
  const ties: Tie[] = [];
  const captures: Capture[] = [];
  const outcomes: ListenerOutcome[] = [];
  for (const listener of listeners) {
    const context = listenerKey(listener);
    const only = soleConnector(listener);
    if (only !== null) {
      // Nobody to compete with (most listeners of an organisation: a connector on a port of its own): it
      // receives the union of its entries, and there are no ties or captures.
      outcomes.push({
        ...context,
        participants: [only],
        effective: new Map([
          [only, sameSetIfEqual(unionOfEntries(listener.entries), wholeSet(only, listener.family))],
        ]),
      });
      continue;
    }
    // Bounds flat per connector (lo, hi, lo, hi, …): a connector can win a million segments.
    const won = new Map<number, Bound[]>();
    // Each pair of connectors once per listener, its addresses gathered over every local address (in the order
    // pairs first occur): the checks and the report never tell local addresses apart.
    const pairs = new Map<number, Pair>();
    const span = connectorSpan(listener.entries);
    for (const entries of distinctContexts(listener)) {
      // Runs of segments share their pair (a relay connector's ranges inside the default connector's): the pair
      // of the previous segment is tried before a key is built and looked up.
      let last: Pair | null = null;
      sweepSegments(entries.map(candidateOf), (first, end, winning, runnerUp, alsoTied) => {
        const winner = winning.connector;
        appendTo(won, winner, first, end);
        if (!runnerUp) return;
        const from = runnerUp.connector;
        const tie = isTie(winning, runnerUp);
        if (last === null || last.winner !== winner || last.from !== from || last.tie !== tie) {
          // A number, not a text: building a key text per change of pair cost more than the sweep's scans.
          const key = (winner * span + from) * 2 + (tie ? 1 : 0);
          last = pairs.get(key) ?? { winner, from, tie, bounds: [] };
          pairs.set(key, last);
        }
        appendInterval(last.bounds, first, end);
        // Rare (three connectors or more with one range): looked up each time, apart from the run of pairs.
        if (alsoTied)
          for (const tied of alsoTied) {
            const key = (winner * span + tied.connector) * 2 + 1;
            const pair = pairs.get(key) ?? { winner, from: tied.connector, tie: true, bounds: [] };
            pairs.set(key, pair);
            appendInterval(pair.bounds, first, end);
          }
      });
    }
    const effective = new Map<number, IntervalSet>();
    won.forEach((bounds, connector) =>
      effective.set(
        connector,
        sameSetIfEqual(IntervalSet.ofBounds(bounds), wholeSet(connector, listener.family)),
      ),
    );
    for (const { winner, from, tie, bounds } of pairs.values()) {
      const addresses = IntervalSet.ofBounds(bounds);
      if (tie) ties.push({ context, connectors: [winner, from], addresses });
      else
        captures.push({ context, winner, from, addresses: sameSetIfEqual(addresses, effective.get(winner)) });
    }
    outcomes.push({
      ...context,
      participants: [...new Set(listener.entries.map((entry) => entry.connector))],
      effective,
    });
  }
  return { effective: unionByConnector(outcomes, configured), listeners: outcomes, ties, captures };
}

/** One more than the highest connector index among the entries: pair keys are exact numbers below span². */
function connectorSpan(entries: readonly ListenerEntry[]): number {
  let highest = 0;
  // Indexed: until V8 optimises a function, for…of makes an object per element, and the analysis runs once.
  for (let index = 0; index < entries.length; index++)
    highest = Math.max(highest, (entries[index] as ListenerEntry).connector);
  return highest + 1;
}

/** The one connector with entries on the listener, or null when there are several (or none). */
function soleConnector(listener: Listener): number | null {
  const { entries } = listener;
  if (entries.length === 0) return null;
  const connector = (entries[0] as ListenerEntry).connector;
  for (let index = 1; index < entries.length; index++)
    if ((entries[index] as ListenerEntry).connector !== connector) return null;
  return connector;
}

/** Every address of the entries, sorted first so that the set needs no BigInt pairs (IntervalSet.ofBounds). */
function unionOfEntries(entries: readonly ListenerEntry[]): IntervalSet {
  let sorted = true;
  for (let index = 1; index < entries.length && sorted; index++)
    sorted = (entries[index - 1] as ListenerEntry).first <= (entries[index] as ListenerEntry).first;
  const ordered = sorted ? entries : [...entries].sort((a, b) => compareBounds(a.first, b.first));
  const bounds = new Array<Bound>(2 * ordered.length);
  for (let index = 0; index < ordered.length; index++) {
    bounds[2 * index] = (ordered[index] as ListenerEntry).first;
    bounds[2 * index + 1] = (ordered[index] as ListenerEntry).last;
  }
  return IntervalSet.ofBounds(bounds);
}

/**
 * A set equal to one already held (what a connector is configured for, what a capture's winner receives) is
 * replaced by that object: equal sets are then one object, and their ranges are formatted and kept once
 * (range-texts.ts) when both are listed.
 */
function sameSetIfEqual(addresses: IntervalSet, held: IntervalSet | undefined): IntervalSet {
  return held !== undefined && held !== addresses && held.equals(addresses) ? held : addresses;
}

/** Per connector, what it receives on any listener, by family; its configured record when that is all of it. */
function unionByConnector(
  outcomes: readonly ListenerOutcome[],
  configured: ((connector: number) => Readonly<Record<IpFamily, IntervalSet>>) | undefined,
): Map<number, Record<IpFamily, IntervalSet>> {
  const effective = new Map<number, Record<IpFamily, IntervalSet>>();
  for (const outcome of outcomes) {
    // forEach, not for…of: no entry pair per connector and listener.
    outcome.effective.forEach((addresses, connector) => {
      let current = effective.get(connector);
      if (current === undefined) {
        current = familySets(IntervalSet.EMPTY, IntervalSet.EMPTY);
        effective.set(connector, current);
      }
      current[outcome.family] = current[outcome.family].union(addresses);
    });
  }
  if (configured !== undefined) {
    effective.forEach((current, connector) => {
      const whole = configured(connector);
      // Shared read-only: the analysis never changes a record once made.
      if (current[4] === whole[4] && current[6] === whole[6])
        effective.set(connector, whole as Record<IpFamily, IntervalSet>);
    });
  }
  return effective;
}

function appendTo(map: Map<number, Bound[]>, connector: number, first: Bound, last: Bound): void {
  const bounds = map.get(connector);
  if (bounds) appendInterval(bounds, first, last);
  else map.set(connector, [first, last]);
}

function listenerKey(listener: Listener): ListenerKey {
  return {
    server: listener.server,
    transportRole: listener.transportRole,
    port: listener.port,
    family: listener.family,
  };
}

/**
 * A connection reaches the server on some local address. Each specific binding address is one context (its own
 * connectors plus the wildcard ones); every other local address sees only the wildcard connectors. The entries of
 * each context, the wildcard-only one first; addresses whose specific entries are the same give the same outcome
 * and are one context (a connector bound to 100,000 addresses is swept once, not 100,000 times).
 */
function distinctContexts(listener: Listener): readonly (readonly ListenerEntry[])[] {
  const { entries } = listener;
  // Most listeners have wildcard bindings only: one context, the entries as they are.
  if (entries.every((entry) => entry.localAddress === null)) return [entries];
  const wildcard: ListenerEntry[] = [];
  const byAddress = new Map<AddressKey, ListenerEntry[]>();
  for (const entry of entries) {
    if (entry.localAddress === null) {
      wildcard.push(entry);
      continue;
    }
    const key = addressKey(entry.localAddress);
    const group = byAddress.get(key);
    if (group) group.push(entry);
    else byAddress.set(key, [entry]);
  }
  const contexts = new Map<string, ListenerEntry[]>();
  for (const specific of byAddress.values()) {
    const signature = specific.map((entry) => `${entry.connector}:${entry.first}:${entry.last}`).join(' ');
    if (!contexts.has(signature)) contexts.set(signature, [...wildcard, ...specific]);
  }
  return [wildcard, ...contexts.values()];
}

type AddressKey = number | string;

const EXACT_NUMBERS = 2n ** 53n;

/**
 * A Map key for a local address, equal exactly when the addresses are. Not the BigInt itself: V8 hashes a BigInt
 * by its lowest 64 bits only, so IPv6 addresses that differ in their network half (2001:db8:N::25) would all
 * share one bucket and grouping 20,000 of them would take seconds. Numbers below 2^53 (every IPv4 address) and
 * hex texts above never meet: a number and a string are different keys.
 */
function addressKey(address: bigint): AddressKey {
  return address < EXACT_NUMBERS ? Number(address) : address.toString(16);
}

function candidateOf(entry: ListenerEntry): EntryCandidate {
  return entry.size !== undefined
    ? (entry as EntryCandidate)
    : { ...entry, size: countBetween(entry.first, entry.last) };
}

/** Segments arrive in ascending order within a context, so adjacent ones can be merged in place. */
function appendInterval(bounds: Bound[], first: Bound, last: Bound): void {
  const end = bounds.length;
  if (end > 0 && plusOne(bounds[end - 1]!) === first) bounds[end - 1] = last;
  else bounds.push(first, last);
}
