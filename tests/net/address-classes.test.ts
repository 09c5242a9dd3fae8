import { describe, expect, it } from '@jest/globals';
import {
  ADDRESS_CLASSES,
  addressClassSet,
  classifyRange,
  classOfAddress,
  publicCount,
  type AddressClass,
} from '../../src/net/address-classes.js';
import { IntervalSet } from '../../src/net/interval-set.js';
import { familyMax, parseIpAddress, type IpFamily } from '../../src/net/ip-address.js';
import { parseRemoteIpRange, rangeSize, type IpRange } from '../../src/net/ip-range.js';
import { randomInt, seededRandom } from './seeded-random.js';

function range(text: string): IpRange {
  const result = parseRemoteIpRange(text);
  if (!result.ok) throw new Error(`expected '${text}' to parse: ${result.reason}`);
  return result.range;
}

function classOf(text: string): AddressClass {
  const address = parseIpAddress(text);
  if (address === null) throw new Error(`'${text}' is not an address`);
  return classOfAddress(address);
}

function counts(partial: Partial<Record<AddressClass, bigint>>): Record<AddressClass, bigint> {
  return { public: 0n, private: 0n, loopback: 0n, 'link-local': 0n, reserved: 0n, ...partial };
}

describe('address classes partition each family', () => {
  it.each([4, 6] as IpFamily[])(
    'IPv%s: the five classes are disjoint and cover the whole space',
    (family) => {
      const whole = IntervalSet.of([[0n, familyMax(family)]]);
      let covered = IntervalSet.EMPTY;
      for (const cls of ADDRESS_CLASSES) {
        const members = addressClassSet(family, cls);
        expect(members.isEmpty()).toBe(false);
        expect(covered.intersect(members).isEmpty()).toBe(true);
        covered = covered.union(members);
      }
      expect(covered.equals(whole)).toBe(true);
      const total = ADDRESS_CLASSES.reduce((sum, cls) => sum + addressClassSet(family, cls).size(), 0n);
      expect(total).toBe(familyMax(family) + 1n);
    },
  );

  it('builds each set once', () => {
    expect(addressClassSet(4, 'private')).toBe(addressClassSet(4, 'private'));
  });
});

describe('classOfAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['10.1.2.3', 'private'],
    ['9.255.255.255', 'public'],
    ['11.0.0.0', 'public'],
    ['100.64.0.1', 'private'], // carrier-grade NAT
    ['100.127.255.255', 'private'],
    ['100.128.0.0', 'public'],
    ['172.15.255.255', 'public'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', 'public'],
    ['192.168.10.25', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['0.255.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.0.9', 'public'],
    ['192.0.0.10', 'public'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.20.0.0', 'public'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.7', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['239.255.255.255', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:10.0.0.1', 'private'], // stored as IPv4
    ['::', 'reserved'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local'],
    ['fec0::1', 'reserved'], // deprecated site-local, outside 2000::/3
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'reserved'],
    ['100::1', 'reserved'],
    ['64:ff9b::808:808', 'public'], // NAT64 well-known prefix
    ['64:ff9b:1::1', 'reserved'], // local-use NAT64 prefix, outside 2000::/3
    ['2001::1', 'public'], // Teredo
    ['2001:1::1', 'public'],
    ['2001:1::3', 'reserved'],
    ['2001:2::1', 'reserved'], // benchmarking
    ['2001:3::1', 'public'],
    ['2001:4:112::1', 'public'],
    ['2001:4:113::1', 'reserved'],
    ['2001:10::1', 'reserved'], // deprecated ORCHID
    ['2001:20::1', 'public'],
    ['2001:3f::1', 'public'],
    ['2001:1ff:ffff::1', 'reserved'],
    ['2001:200::1', 'public'],
    ['2001:db8::25', 'reserved'],
    ['2001:4860:4860::8888', 'public'],
    ['2002:c000:204::1', 'public'], // 6to4
    ['2a00:1450:4001::1', 'public'],
    ['3fff::1', 'reserved'], // documentation since RFC 9637
    ['3ffe:ffff::1', 'public'],
    ['4000::1', 'reserved'],
    ['5f00::1', 'reserved'],
  ])('%s is %s', (text, cls) => {
    expect(classOf(text)).toBe(cls);
  });
});

describe('classifyRange', () => {
  it('counts the whole IPv4 space exactly', () => {
    const privateCount = 2n ** 24n + 2n ** 22n + 2n ** 20n + 2n ** 16n;
    const reservedCount =
      2n ** 24n + // 0/8
      (256n - 2n) + // 192.0.0/24 without its two anycast addresses
      3n * 256n + // the three documentation /24s
      2n ** 17n + // 198.18/15
      2n * 2n ** 28n; // 224/4 and 240/4
    const loopbackCount = 2n ** 24n;
    const linkLocalCount = 2n ** 16n;
    expect(classifyRange(range('0.0.0.0-255.255.255.255'))).toEqual(
      counts({
        private: privateCount,
        reserved: reservedCount,
        loopback: loopbackCount,
        'link-local': linkLocalCount,
        public: 2n ** 32n - privateCount - reservedCount - loopbackCount - linkLocalCount,
      }),
    );
  });

  it('counts the whole IPv6 space exactly', () => {
    const result = classifyRange(range('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'));
    expect(result.loopback).toBe(1n);
    expect(result.private).toBe(2n ** 121n);
    expect(result['link-local']).toBe(2n ** 118n);
    expect(Object.values(result).reduce((sum, n) => sum + n, 0n)).toBe(2n ** 128n);
    expect(result.public).toBe(addressClassSet(6, 'public').size());
  });

  it('splits ranges that straddle class boundaries', () => {
    expect(classifyRange(range('9.255.255.0-10.0.0.255'))).toEqual(counts({ public: 256n, private: 256n }));
    expect(classifyRange(range('172.0.0.0/8'))).toEqual(
      counts({ private: 2n ** 20n, public: 2n ** 24n - 2n ** 20n }),
    );
    expect(classifyRange(range('192.0.0.0/24'))).toEqual(counts({ reserved: 254n, public: 2n }));
    expect(classifyRange(range('100.0.0.0/8'))).toEqual(
      counts({ private: 2n ** 22n, public: 2n ** 24n - 2n ** 22n }),
    );
    expect(classifyRange(range('::/127'))).toEqual(counts({ reserved: 1n, loopback: 1n }));
  });

  it('counts single addresses and whole private blocks', () => {
    expect(classifyRange(range('192.168.1.75'))).toEqual(counts({ private: 1n }));
    expect(classifyRange(range('10.0.0.0/8'))).toEqual(counts({ private: 2n ** 24n }));
    expect(classifyRange(range('fc00::/7'))).toEqual(counts({ private: 2n ** 121n }));
    expect(classifyRange(range('255.255.255.255'))).toEqual(counts({ reserved: 1n }));
  });

  it('agrees with intersecting the class sets, on random ranges', () => {
    const random = seededRandom(5);
    const failures: string[] = [];
    for (let round = 0; round < 2000; round++) {
      const family: IpFamily = round % 2 === 0 ? 4 : 6;
      const bits = family === 4 ? 32 : 128;
      // Random prefix-ish widths so ranges run from one address to most of the space.
      const width = BigInt(randomInt(random, 0, bits));
      const start = randomBigInt(random, bits) & ~((1n << width) - 1n);
      const end = start + randomBigInt(random, Number(width));
      const sample: IpRange = {
        family,
        first: start,
        last: end > familyMax(family) ? familyMax(family) : end,
      };
      const asSet = IntervalSet.of([[sample.first, sample.last]]);
      const result = classifyRange(sample);
      for (const cls of ADDRESS_CLASSES) {
        if (result[cls] !== addressClassSet(family, cls).intersect(asSet).size()) {
          failures.push(`${cls} of [${sample.first}, ${sample.last}] (IPv${family})`);
        }
      }
      if (Object.values(result).reduce((sum, n) => sum + n, 0n) !== rangeSize(sample)) {
        failures.push(`sum of [${sample.first}, ${sample.last}]`);
      }
      if (publicCount(sample) !== result.public)
        failures.push(`publicCount of [${sample.first}, ${sample.last}]`);
    }
    expect(failures).toEqual([]);
  });
});

function randomBigInt(random: () => number, bits: number): bigint {
  let value = 0n;
  for (let filled = 0; filled < bits; filled += 16)
    value = (value << 16n) | BigInt(randomInt(random, 0, 0xffff));
  return value & ((1n << BigInt(bits)) - 1n);
}
