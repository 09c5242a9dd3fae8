import { describe, expect, it } from '@jest/globals';
import { resolvePrecedence, type Listener, type ListenerEntry } from '../../src/analysis/precedence.js';
import { familySets } from '../../src/net/family-sets.js';
import { IntervalSet } from '../../src/net/interval-set.js';
import { parseIpAddress } from '../../src/net/ip-address.js';
import { parseRemoteIpRange } from '../../src/net/ip-range.js';

function v4(text: string): bigint {
  const address = parseIpAddress(text);
  if (!address) throw new Error(text);
  return address.value;
}

function entry(connector: number, range: string, localAddress: string | null = null): ListenerEntry {
  const parsed = parseRemoteIpRange(range);
  if (!parsed.ok) throw new Error(range);
  return {
    connector,
    localAddress: localAddress === null ? null : v4(localAddress),
    first: parsed.range.first,
    last: parsed.range.last,
  };
}

function listener(entries: ListenerEntry[]): Listener {
  return { server: 'EX01', transportRole: 'FrontendTransport', port: 25, family: 4, entries };
}

function winnerOf(result: ReturnType<typeof resolvePrecedence>, address: string): number[] {
  const value = v4(address);
  return [...result.effective]
    .filter(([, scope]) => scope[4].contains(value))
    .map(([connector]) => connector);
}

/** Bounds as numbers (as IPv4 entries are given) in even rounds, as BigInts (IPv6) in odd ones. */
function boundsOfKind(round: number, first: number, last: number): Pick<ListenerEntry, 'first' | 'last'> {
  return round % 2 === 0 ? { first, last } : { first: BigInt(first), last: BigInt(last) };
}

/** The entries open at `address` for a connection on `local`, in Exchange's order of preference. */
function openEntries(entries: ListenerEntry[], local: bigint | null, address: bigint): ListenerEntry[] {
  return entries
    .filter(
      (e) => e.first <= address && address <= e.last && (e.localAddress === null || e.localAddress === local),
    )
    .sort(
      (a, b) =>
        Number(a.last) - Number(a.first) - (Number(b.last) - Number(b.first)) ||
        Number(b.localAddress !== null) - Number(a.localAddress !== null) ||
        a.connector - b.connector,
    );
}

describe('resolvePrecedence', () => {
  it('gives a connector alone on its listener the union of its entries, as when it competes for nothing', () => {
    const own = [
      entry(3, '10.0.2.0/24'),
      entry(3, '10.0.0.0/24', '10.9.9.9'),
      entry(3, '10.0.1.0-10.0.1.255'),
      entry(3, '10.0.0.7'),
      entry(3, '10.0.9.0/24'),
    ];
    const alone = resolvePrecedence([listener(own)]);
    const beside = resolvePrecedence([listener([...own, entry(4, '192.168.0.1')])]);
    expect(alone.listeners[0]!.participants).toEqual([3]);
    expect(alone.ties).toEqual([]);
    expect(alone.captures).toEqual([]);
    expect(alone.effective.get(3)![4].intervals()).toEqual(beside.effective.get(3)![4].intervals());
    expect(alone.effective.get(3)![4].intervals()).toEqual([
      [v4('10.0.0.0'), v4('10.0.2.255')],
      [v4('10.0.9.0'), v4('10.0.9.255')],
    ]);
  });

  it('gives a connector that receives all it is configured for its configured sets and record', () => {
    const whole = (first: string, last: string) => IntervalSet.of([[v4(first), v4(last)]]);
    const configured = new Map([
      [0, familySets(whole('10.0.0.0', '10.255.255.255'), IntervalSet.EMPTY)],
      [1, familySets(whole('10.0.0.0', '10.0.0.255'), IntervalSet.EMPTY)],
      [2, familySets(whole('192.168.0.0', '192.168.0.255'), IntervalSet.EMPTY)],
    ]);
    const shared = listener([entry(0, '10.0.0.0/8'), entry(1, '10.0.0.0/24')]);
    const alone = { ...listener([entry(2, '192.168.0.0/24')]), port: 587 };
    const result = resolvePrecedence([shared, alone], (connector) => configured.get(connector)!);
    // Never beaten, or alone: the very record it is configured for.
    expect(result.effective.get(1)).toBe(configured.get(1));
    expect(result.effective.get(2)).toBe(configured.get(2));
    // Beaten on part of its range: a set of its own, of what it receives.
    expect(result.effective.get(0)![4]).not.toBe(configured.get(0)![4]);
    expect(result.effective.get(0)![4].size()).toBe(2n ** 24n - 256n);
    // Without the configured scopes the answer is the same, in sets of its own.
    const plain = resolvePrecedence([shared, alone]);
    for (const connector of [0, 1, 2])
      expect(plain.effective.get(connector)![4].equals(result.effective.get(connector)![4])).toBe(true);
    expect(plain.effective.get(1)).not.toBe(configured.get(1));
  });

  it('follows the documented example: the most specific range wins', () => {
    // Microsoft's example: A 0.0.0.0-255.255.255.255, B 192.168.1.0/24, C 192.168.1.75.
    const result = resolvePrecedence([
      listener([entry(0, '0.0.0.0-255.255.255.255'), entry(1, '192.168.1.0/24'), entry(2, '192.168.1.75')]),
    ]);
    expect(winnerOf(result, '192.168.1.75')).toEqual([2]);
    expect(winnerOf(result, '192.168.1.100')).toEqual([1]);
    expect(winnerOf(result, '10.0.0.1')).toEqual([0]);
    expect(result.effective.get(1)?.[4].size()).toBe(255n);
    expect(result.effective.get(0)?.[4].size()).toBe(2n ** 32n - 256n);
    expect(result.ties).toEqual([]);
  });

  it('reports who takes addresses from whom', () => {
    const result = resolvePrecedence([listener([entry(0, '0.0.0.0/0'), entry(1, '10.20.0.0/16')])]);
    expect(result.captures).toHaveLength(1);
    expect(result.captures[0]).toMatchObject({ winner: 1, from: 0 });
    expect(result.captures[0]?.addresses.size()).toBe(65536n);
  });

  it('prefers a connector bound to the specific local address on a tie, only on that address', () => {
    const result = resolvePrecedence([
      listener([entry(0, '10.0.0.0/8'), entry(1, '10.0.0.0/8', '10.0.0.5')]),
    ]);
    expect(result.ties).toEqual([]);
    // On 10.0.0.5 connector 1 wins; on any other local address the wildcard connector 0 still receives 10/8.
    expect(result.effective.get(1)?.[4].size()).toBe(2n ** 24n);
    expect(result.effective.get(0)?.[4].size()).toBe(2n ** 24n);
    // Connector 1 takes 10/8 from connector 0 on 10.0.0.5 only; a capture names the listener, not the address.
    expect(result.captures).toEqual([expect.objectContaining({ winner: 1, from: 0 })]);
    expect(result.captures[0]?.addresses.size()).toBe(2n ** 24n);
  });

  it('gives a connector bound to many local addresses the outcome of one, each pair once', () => {
    const relay = (locals: number) =>
      resolvePrecedence([
        listener([
          entry(0, '0.0.0.0/0'),
          entry(2, '10.0.0.0/24'),
          ...Array.from({ length: locals }, (_, index) => entry(1, '10.0.0.0/16', `192.168.0.${index + 1}`)),
        ]),
      ]);
    const one = relay(1);
    const many = relay(200);
    expect(many.captures.map(({ winner, from }) => [winner, from])).toEqual([
      [2, 0],
      [2, 1],
      [1, 0],
    ]);
    expect(many.captures.map((capture) => capture.addresses.intervals())).toEqual(
      one.captures.map((capture) => capture.addresses.intervals()),
    );
    expect([...many.effective]).toEqual([...one.effective]);
  });

  it('lets a strictly smaller wildcard range beat a specific binding', () => {
    const result = resolvePrecedence([
      listener([entry(0, '10.0.0.0/8', '10.0.0.5'), entry(1, '10.1.0.0/16')]),
    ]);
    // Only on 10.0.0.5 do the two meet: there the smaller wildcard /16 wins.
    expect(result.captures).toEqual([expect.objectContaining({ winner: 1, from: 0 })]);
  });

  it('reports an exact tie on the same binding, first in enumeration order winning', () => {
    const result = resolvePrecedence([
      listener([entry(0, '0.0.0.0/0'), entry(3, '172.16.5.0/24'), entry(4, '172.16.5.0/24')]),
    ]);
    expect(result.ties).toHaveLength(1);
    expect(result.ties[0]?.connectors).toEqual([3, 4]);
    expect(result.ties[0]?.addresses.size()).toBe(256n);
    expect(winnerOf(result, '172.16.5.9')).toEqual([3]);
    expect(result.effective.get(4)).toBeUndefined();
  });

  it('reports every connector of a three-way tie as tied with the winner, none as shadowed', () => {
    const result = resolvePrecedence([
      listener([entry(1, '10.1.1.0/24'), entry(2, '10.1.1.0/24'), entry(0, '10.1.1.0/24')]),
    ]);
    expect(result.ties.map((tie) => tie.connectors)).toEqual([
      [0, 1],
      [0, 2],
    ]);
    expect(result.ties.every((tie) => tie.addresses.size() === 256n)).toBe(true);
    expect(winnerOf(result, '10.1.1.9')).toEqual([0]);
  });

  it('finds a four-way tie among deeply nested ranges too (the sweep with heaps)', () => {
    // 30 nested ranges of connector 0 make the sweep use heaps; connectors 1-3 tie with its innermost /29.
    const nested = Array.from({ length: 30 }, (_, index) => entry(0, `10.0.0.0/${index + 1}`));
    const result = resolvePrecedence([
      listener([...nested, entry(1, '10.0.0.0/30'), entry(2, '10.0.0.0/30'), entry(3, '10.0.0.0/30')]),
    ]);
    expect(result.ties.map((tie) => tie.connectors)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });

  it('does not call nested ranges of one connector a tie or a capture', () => {
    const result = resolvePrecedence([listener([entry(0, '10.0.0.0/8'), entry(0, '10.1.0.0/16')])]);
    expect(result.ties).toEqual([]);
    expect(result.captures).toEqual([]);
    expect(result.effective.get(0)?.[4].size()).toBe(2n ** 24n);
  });

  it('keeps listeners apart: ports, servers and families never compete', () => {
    const port25 = listener([entry(0, '0.0.0.0/0')]);
    const port2525 = { ...listener([entry(1, '10.0.0.0/8')]), port: 2525 };
    const otherServer = { ...listener([entry(2, '10.0.0.0/8')]), server: 'EX02' };
    const result = resolvePrecedence([port25, port2525, otherServer]);
    expect(result.captures).toEqual([]);
    expect(result.effective.get(0)?.[4].size()).toBe(2n ** 32n);
  });

  it('agrees with a brute-force lookup on random layouts', () => {
    let seed = 12345;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    for (let round = 0; round < 300; round++) {
      const locals = [null, 1000n, 2000n];
      const entries: ListenerEntry[] = [];
      const count = 1 + random(7);
      for (let index = 0; index < count; index++) {
        const first = random(60);
        const last = first + random(64 - first);
        entries.push({
          connector: random(5),
          localAddress: locals[random(3)] ?? null,
          ...boundsOfKind(round, first, last),
        });
      }
      const result = resolvePrecedence([listener(entries)]);
      for (const local of locals) {
        for (let address = 0n; address < 64n; address++) {
          const candidates = openEntries(entries, local, address);
          const expected = candidates[0]?.connector;
          if (expected === undefined) continue;
          expect(result.effective.get(expected)?.[4].contains(address)).toBe(true);
        }
      }
      // Every address a connector wins is one it has a range for.
      for (const [connector, scope] of result.effective) {
        for (const [first, last] of scope[4].intervals()) {
          for (let address = first; address <= last; address++) {
            expect(
              entries.some((e) => e.connector === connector && e.first <= address && address <= e.last),
            ).toBe(true);
          }
        }
      }
    }
  });
});

describe('the runner-up of each address (captures and ties)', () => {
  /**
   * The brute-force answer: per pair, the addresses where on some local context one connector wins and the other
   * has the best entry of any other connector.
   */
  function expected(entries: ListenerEntry[], locals: Array<bigint | null>): Map<string, bigint[]> {
    const outcome = new Map<string, bigint[]>();
    const size = (e: ListenerEntry) => Number(e.last) - Number(e.first);
    for (const local of locals) {
      for (let address = 0n; address < 64n; address++) {
        const open = openEntries(entries, local, address);
        const winner = open[0];
        const other = open.find((e) => winner && e.connector !== winner.connector);
        if (!winner || !other) continue;
        const ties = (e: ListenerEntry) =>
          size(winner) === size(e) && (winner.localAddress !== null) === (e.localAddress !== null);
        const add = (key: string) =>
          outcome.set(
            key,
            [...new Set([...(outcome.get(key) ?? []), address])].sort((a, b) => Number(a - b)),
          );
        add(`${winner.connector}|${other.connector}|${ties(other)}`);
        if (!ties(other)) continue;
        // Every further connector whose best entry ties with the winner ties with it too.
        const seen = new Set([winner.connector, other.connector]);
        for (const e of open) {
          if (seen.has(e.connector)) continue;
          seen.add(e.connector);
          if (ties(e)) add(`${winner.connector}|${e.connector}|true`);
        }
      }
    }
    return outcome;
  }

  it('agrees with a brute-force lookup when connectors hold many nested ranges of their own', () => {
    let seed = 4242;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % limit;
    };
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const entries: ListenerEntry[] = [];
      const count = 2 + random(14);
      for (let index = 0; index < count; index++) {
        const first = random(60);
        const last = first + random(64 - first);
        entries.push({
          connector: random(3),
          localAddress: random(4) === 0 ? 1000n : null,
          ...boundsOfKind(round, first, last),
        });
      }
      const locals = [
        null,
        ...new Set(entries.flatMap((e) => (e.localAddress === null ? [] : [e.localAddress]))),
      ];
      const result = resolvePrecedence([listener(entries)]);
      const actual = new Map<string, bigint[]>();
      const record = (winner: number, from: number, tie: boolean, set: IntervalSet) => {
        const addresses = set.intervals().flatMap(([first, last]) => {
          const list: bigint[] = [];
          for (let address = first; address <= last; address++) list.push(address);
          return list;
        });
        actual.set(`${winner}|${from}|${tie}`, addresses);
      };
      for (const tie of result.ties) record(...tie.connectors, true, tie.addresses);
      for (const capture of result.captures) record(capture.winner, capture.from, false, capture.addresses);
      const wanted = expected(entries, locals);
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(wanted));
      compared += wanted.size;
    }
    // The comparison really covered captures and ties, not only empty results.
    expect(compared).toBeGreaterThan(300);
  });

  it('keeps IPv6 local addresses that differ only in their network half apart (one context each)', () => {
    const v6 = (text: string) => parseIpAddress(text)!.value;
    const range = parseRemoteIpRange('2001:db8:ff::/64');
    if (!range.ok) throw new Error('range');
    const { first, last } = range.range;
    // The low 64 bits of every local address are the same (::25): only the high half tells them apart.
    const locals = ['2001:db8:1::25', '2001:db8:2::25', '2001:db8:3::25'].map(v6);
    const entries: ListenerEntry[] = [
      { connector: 0, localAddress: null, first: 0n, last: (1n << 128n) - 1n },
      ...locals.map((localAddress, index) => ({ connector: index + 1, localAddress, first, last })),
    ];
    const result = resolvePrecedence([
      { server: 'EX01', transportRole: 'FrontendTransport', port: 25, family: 6, entries },
    ]);
    // Had two addresses been grouped as one, their connectors would tie for the range.
    expect(result.ties).toEqual([]);
    for (const connector of [1, 2, 3])
      expect(result.effective.get(connector)![6].intervals()).toEqual([[first, last]]);
  });
});

describe('precedence through analyzeOrganization', () => {
  it('compares every RemoteIPRanges entry on its own, never a connector-wide union', async () => {
    const { analyzeOrganization } = await import('../../src/analysis/analyze.js');
    const { connector, snapshot } = await import('../support/builders.js');
    const analysis = analyzeOrganization(
      snapshot([
        connector({ name: 'X', remoteIPRanges: ['10.0.0.5', '10.0.0.0/16'] }),
        connector({ name: 'Y', remoteIPRanges: ['10.0.0.0/24'] }),
        connector({ name: 'Halves', remoteIPRanges: ['172.16.0.0/25', '172.16.0.128/25'] }),
        connector({ name: 'Whole', remoteIPRanges: ['172.16.0.0/24'] }),
      ]),
    );
    const [x, y, halves, whole] = analysis.connectors;
    // 10.0.0.5 is X's /32 entry, the most specific; the rest of the /24 is Y's.
    expect(x?.effective[4].contains(v4('10.0.0.5'))).toBe(true);
    expect(y?.effective[4].size()).toBe(255n);
    // Two /25 entries are each smaller than the /24: they win, and there is no tie.
    expect(halves?.effective[4].size()).toBe(256n);
    expect(whole?.effective[4].isEmpty()).toBe(true);
    expect(analysis.precedence.ties).toEqual([]);
  });
});
