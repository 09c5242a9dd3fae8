/**
 * What kind of addresses a range holds. The five classes partition each family's space, so every address
 * has exactly one class. Counts are exact BigInts: an IPv6 range can hold 2^128 addresses, and a Number
 * stops counting exactly at 2^53, which would make "how many public addresses may relay" wrong.
 *
 * The rule, from the IANA special-purpose registries: "Globally Reachable: False" blocks are not public;
 * "N/A" blocks that carry traffic of public IPv4 hosts (Teredo, 6to4) are public.
 */
import { FAMILY_BITS, parseIpv4Text, parseIpv6Text, type IpAddress, type IpFamily } from './ip-address.js';
import { IntervalSet } from './interval-set.js';
import type { IpRange } from './ip-range.js';

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'reserved';

export const ADDRESS_CLASSES: readonly AddressClass[] = [
  'public',
  'private',
  'loopback',
  'link-local',
  'reserved',
];

type ClassRow = readonly [cidr: string, cls: AddressClass];

// Later rows override earlier ones, so each table reads from general to specific.
const CLASS_TABLES: Record<IpFamily, readonly ClassRow[]> = {
  4: [
    ['0.0.0.0/0', 'public'], // globally routable unless a row below says otherwise
    ['0.0.0.0/8', 'reserved'], // RFC 1122 "this network"
    ['10.0.0.0/8', 'private'], // RFC 1918
    ['100.64.0.0/10', 'private'], // RFC 6598 shared address space (carrier-grade NAT)
    ['127.0.0.0/8', 'loopback'], // RFC 1122
    ['169.254.0.0/16', 'link-local'], // RFC 3927
    ['172.16.0.0/12', 'private'], // RFC 1918
    ['192.0.0.0/24', 'reserved'], // RFC 6890 IETF protocol assignments (not globally reachable)
    ['192.0.0.9/32', 'public'], // RFC 7723 PCP anycast (IANA: globally reachable)
    ['192.0.0.10/32', 'public'], // RFC 8155 TURN anycast (IANA: globally reachable)
    ['192.0.2.0/24', 'reserved'], // RFC 5737 documentation TEST-NET-1
    ['192.168.0.0/16', 'private'], // RFC 1918
    ['198.18.0.0/15', 'reserved'], // RFC 2544 benchmarking
    ['198.51.100.0/24', 'reserved'], // RFC 5737 documentation TEST-NET-2
    ['203.0.113.0/24', 'reserved'], // RFC 5737 documentation TEST-NET-3
    ['224.0.0.0/4', 'reserved'], // RFC 5771 multicast
    ['240.0.0.0/4', 'reserved'], // RFC 1112 future use, with 255.255.255.255 limited broadcast (RFC 919)
  ],
  6: [
    ['::/0', 'reserved'], // IANA IPv6 address space: only 2000::/3 is allocated to global unicast
    ['2000::/3', 'public'], // IANA global unicast
    ['::/128', 'reserved'], // RFC 4291 unspecified
    ['::1/128', 'loopback'], // RFC 4291
    ['::ffff:0:0/96', 'reserved'], // RFC 4291 IPv4-mapped (parsed addresses there become IPv4)
    ['64:ff9b::/96', 'public'], // RFC 6052 NAT64 well-known prefix (IANA: globally reachable)
    ['100::/64', 'reserved'], // RFC 6666 discard-only
    ['2001::/23', 'reserved'], // RFC 2928 IETF protocol assignments (not globally reachable unless listed below)
    ['2001::/32', 'public'], // RFC 4380 Teredo (IANA: N/A); relays carry public IPv4 hosts
    ['2001:1::1/128', 'public'], // RFC 7723 PCP anycast (IANA: globally reachable)
    ['2001:1::2/128', 'public'], // RFC 8155 TURN anycast (IANA: globally reachable)
    ['2001:3::/32', 'public'], // RFC 7450 AMT (IANA: globally reachable)
    ['2001:4:112::/48', 'public'], // RFC 7535 AS112-v6 (IANA: globally reachable)
    ['2001:20::/28', 'public'], // RFC 7343 ORCHIDv2 (IANA: globally reachable)
    ['2001:30::/28', 'public'], // RFC 9374 drone remote ID entity tags (IANA: globally reachable)
    ['2001:db8::/32', 'reserved'], // RFC 3849 documentation
    ['3fff::/20', 'reserved'], // RFC 9637 documentation
    ['5f00::/16', 'reserved'], // RFC 9602 SRv6 segment identifiers (not globally reachable)
    ['fc00::/7', 'private'], // RFC 4193 unique local addresses
    ['fe80::/10', 'link-local'], // RFC 4291
    ['ff00::/8', 'reserved'], // RFC 4291 multicast
  ],
};

/** One family's space cut into runs of a single class, sorted: the structure every lookup searches. */
interface ClassMap {
  starts: bigint[];
  ends: bigint[];
  classes: AddressClass[];
  sets: Record<AddressClass, IntervalSet>;
}

const classMaps = new Map<IpFamily, ClassMap>();

function classMap(family: IpFamily): ClassMap {
  let map = classMaps.get(family);
  if (map === undefined) {
    map = buildClassMap(family);
    classMaps.set(family, map);
  }
  return map;
}

function buildClassMap(family: IpFamily): ClassMap {
  const sets: Record<AddressClass, IntervalSet> = {
    public: IntervalSet.EMPTY,
    private: IntervalSet.EMPTY,
    loopback: IntervalSet.EMPTY,
    'link-local': IntervalSet.EMPTY,
    reserved: IntervalSet.EMPTY,
  };
  for (const [cidr, cls] of CLASS_TABLES[family]) {
    const block = IntervalSet.of([tableBlock(family, cidr)]);
    for (const other of ADDRESS_CLASSES) sets[other] = sets[other].difference(block);
    sets[cls] = sets[cls].union(block);
  }
  const runs = ADDRESS_CLASSES.flatMap((cls) => sets[cls].map((lo, hi) => ({ lo, hi, cls })));
  runs.sort((a, b) => (a.lo < b.lo ? -1 : 1));
  return {
    starts: runs.map((run) => run.lo),
    ends: runs.map((run) => run.hi),
    classes: runs.map((run) => run.cls),
    sets,
  };
}

/** A table row's block, read without the IPv4-in-IPv6 conversion (::ffff:0:0/96 is an IPv6 block here). */
function tableBlock(family: IpFamily, cidr: string): readonly [bigint, bigint] {
  const [addressText = '', lengthText = ''] = cidr.split('/');
  const value = family === 4 ? parseIpv4Text(addressText) : parseIpv6Text(addressText);
  const length = /^[0-9]{1,3}$/.test(lengthText) ? Number(lengthText) : Number.NaN;
  if (value === null || !(length <= FAMILY_BITS[family])) {
    throw new Error(`address class table: '${cidr}' is not an IPv${family} CIDR block (programming error)`);
  }
  const hostMask = (1n << BigInt(FAMILY_BITS[family] - length)) - 1n;
  if ((value & hostMask) !== 0n) {
    throw new Error(`address class table: '${cidr}' has host bits set (programming error)`);
  }
  return [value, value | hostMask];
}

/** The members of one class in one family (built once per family, then cached). */
export function addressClassSet(family: IpFamily, cls: AddressClass): IntervalSet {
  return classMap(family).sets[cls];
}

/** Index of the run that contains value (runs cover the whole family, so there always is one). */
function runIndex(map: ClassMap, value: bigint): number {
  let low = 0;
  let high = map.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (map.starts[middle]! <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function classOfAddress(address: IpAddress): AddressClass {
  const map = classMap(address.family);
  return map.classes[runIndex(map, address.value)]!;
}

/** Exact address counts per class; they sum to the range's size. O(log k + runs the range touches). */
export function classifyRange(range: IpRange): Record<AddressClass, bigint> {
  const counts: Record<AddressClass, bigint> = {
    public: 0n,
    private: 0n,
    loopback: 0n,
    'link-local': 0n,
    reserved: 0n,
  };
  const map = classMap(range.family);
  for (let index = runIndex(map, range.first); index < map.starts.length; index++) {
    const start = map.starts[index]!;
    if (start > range.last) break;
    const end = map.ends[index]!;
    const lo = start > range.first ? start : range.first;
    const hi = end < range.last ? end : range.last;
    counts[map.classes[index]!] += hi - lo + 1n;
  }
  return counts;
}

/** classifyRange(range).public without building the record: it runs once per RemoteIPRanges entry. */
export function publicCount(range: IpRange): bigint {
  const map = classMap(range.family);
  let count = 0n;
  for (let index = runIndex(map, range.first); index < map.starts.length; index++) {
    const start = map.starts[index]!;
    if (start > range.last) break;
    if (map.classes[index] !== 'public') continue;
    const end = map.ends[index]!;
    count += (end < range.last ? end : range.last) - (start > range.first ? start : range.first) + 1n;
  }
  return count;
}
