import { describe, expect, it } from '@jest/globals';
import { describeWithLabData, labBytes } from '../support/shared-data.js';
import { formatIpAddress, parseIpAddress, type IpFamily } from '../../src/net/ip-address.js';
import {
  exactPrefixLength,
  formatIpv4Range,
  formatRange,
  isWholeFamily,
  parseRemoteIpRange,
  rangeSize,
  type IpRange,
  type RangeParseResult,
} from '../../src/net/ip-range.js';
import { randomInt, seededRandom } from './seeded-random.js';

/** A parse result with readable bounds, so expectations read like Exchange's own output. */
function shown(text: string): { format: string; family: IpFamily; first: string; last: string } | string {
  const result = parseRemoteIpRange(text);
  if (!result.ok) return `error: ${result.reason}`;
  const { family, first, last } = result.range;
  return {
    format: result.format,
    family,
    first: formatIpAddress({ family, value: first }),
    last: formatIpAddress({ family, value: last }),
  };
}

function reason(text: string): string {
  const result = parseRemoteIpRange(text);
  if (result.ok) throw new Error(`expected '${text}' to be refused, got ${formatRange(result.range)}`);
  return result.reason;
}

function range(text: string): IpRange {
  const result = parseRemoteIpRange(text);
  if (!result.ok) throw new Error(`expected '${text}' to parse: ${result.reason}`);
  return result.range;
}

describe('parseRemoteIpRange: the forms Exchange accepts', () => {
  it.each([
    ['192.168.1.1', 'SingleAddress', 4, '192.168.1.1', '192.168.1.1'],
    [
      'fe80::39bd:88f7:6969:d223%11',
      'SingleAddress',
      6,
      'fe80::39bd:88f7:6969:d223',
      'fe80::39bd:88f7:6969:d223',
    ],
    ['192.168.1.1-192.168.1.254', 'LoHi', 4, '192.168.1.1', '192.168.1.254'],
    ['10.1.1.5-10.1.1.5', 'LoHi', 4, '10.1.1.5', '10.1.1.5'],
    ['2001:db8::1-2001:db8::ff', 'LoHi', 6, '2001:db8::1', '2001:db8::ff'],
    ['192.168.1.77/24', 'CIDR', 4, '192.168.1.0', '192.168.1.255'],
    ['10.0.0.0/8', 'CIDR', 4, '10.0.0.0', '10.255.255.255'],
    ['10.1.2.3/32', 'CIDR', 4, '10.1.2.3', '10.1.2.3'],
    ['10.1.2.3/0', 'CIDR', 4, '0.0.0.0', '255.255.255.255'],
    ['2001:0DB8::CD3/60', 'CIDR', 6, '2001:db8::', '2001:db8:0:f:ffff:ffff:ffff:ffff'],
    ['fe80::1%11/64', 'CIDR', 6, 'fe80::', 'fe80::ffff:ffff:ffff:ffff'],
    ['192.168.1.0(255.255.255.0)', 'Netmask', 4, '192.168.1.0', '192.168.1.255'],
    ['10.20.30.40(255.255.0.0)', 'Netmask', 4, '10.20.0.0', '10.20.255.255'],
    ['10.0.0.0(0.0.0.0)', 'Netmask', 4, '0.0.0.0', '255.255.255.255'],
    ['10.1.2.3(255.255.255.255)', 'Netmask', 4, '10.1.2.3', '10.1.2.3'],
    [' 10.0.0.1 - 10.0.0.9 ', 'LoHi', 4, '10.0.0.1', '10.0.0.9'],
    ['10.0.0.0 / 8', 'CIDR', 4, '10.0.0.0', '10.255.255.255'],
    ['10.0.0.0 ( 255.0.0.0 ) ', 'Netmask', 4, '10.0.0.0', '10.255.255.255'],
    // .NET reads the prefix as a decimal int, so a leading zero is harmless.
    ['10.0.0.0/08', 'CIDR', 4, '10.0.0.0', '10.255.255.255'],
  ])('%j is %s', (text, format, family, first, last) => {
    expect(shown(text)).toEqual({ format, family, first, last });
  });

  it('accepts the full-space forms of both families', () => {
    for (const text of ['0.0.0.0-255.255.255.255', '0.0.0.0/0']) {
      expect(isWholeFamily(range(text))).toBe(true);
      expect(range(text).family).toBe(4);
    }
    for (const text of ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::/0']) {
      expect(isWholeFamily(range(text))).toBe(true);
      expect(range(text).family).toBe(6);
    }
  });

  it('reads IPv4 written as IPv6 as IPv4, with the prefix counted in IPv6 bits', () => {
    expect(shown('::ffff:1.2.3.4/120')).toEqual({
      format: 'CIDR',
      family: 4,
      first: '1.2.3.0',
      last: '1.2.3.255',
    });
    expect(shown('::ffff:10.0.0.0/104')).toEqual({
      format: 'CIDR',
      family: 4,
      first: '10.0.0.0',
      last: '10.255.255.255',
    });
    expect(shown('::ffff:10.0.0.0/96')).toEqual({
      format: 'CIDR',
      family: 4,
      first: '0.0.0.0',
      last: '255.255.255.255',
    });
    expect(shown('::ffff:10.0.0.1-10.0.0.9')).toEqual({
      format: 'LoHi',
      family: 4,
      first: '10.0.0.1',
      last: '10.0.0.9',
    });
    expect(reason('::ffff:1.2.3.4/64')).toBe(
      'prefix length 64 on the IPv4 address 1.2.3.4 written as IPv6 reaches outside the IPv4 space; ' +
        'use 96-128 or IPv4 notation',
    );
    expect(reason('::ffff:1.2.3.4/129')).toBe('prefix length 129 is out of range for IPv6');
  });
});

describe('parseRemoteIpRange: refusals name the problem', () => {
  it.each([
    ['', 'value is empty'],
    ['   ', 'value is empty'],
    ['-', "'-' is not an IPv4 or IPv6 address"],
    ['/', "'/' is not an IPv4 or IPv6 address"],
    ['/24', "'/24' is not an IPv4 or IPv6 address"],
    ['(255.0.0.0)', "'(255.0.0.0)' is not an IPv4 or IPv6 address"],
    ['1.2.3.4.5', "'1.2.3.4.5' is not an IPv4 or IPv6 address"],
    ['server01.contoso.com', "'server01.contoso.com' is not an IPv4 or IPv6 address"],
    ['10.0.0.0/', "prefix length is missing after '/'"],
    ['10.0.0.0/-1', "prefix length '-1' is not a whole number"],
    ['10.0.0.0/+8', "prefix length '+8' is not a whole number"],
    ['10.0.0.0/8.5', "prefix length '8.5' is not a whole number"],
    ['10.0.0.0/٨', "prefix length '٨' is not a whole number"],
    ['10.0.0.0/24/24', "prefix length '24/24' is not a whole number"],
    ['10.0.0.0/33', 'prefix length 33 is out of range for IPv4'],
    ['10.0.0.0/999', 'prefix length 999 is out of range for IPv4'],
    ['2001:db8::/129', 'prefix length 129 is out of range for IPv6'],
    ['10.0.0.x/8', "'10.0.0.x' is not an IPv4 or IPv6 address"],
    ['10.0.0.9-10.0.0.1', 'range start 10.0.0.9 is after range end 10.0.0.1'],
    ['2001:db8::9-2001:db8::1', 'range start 2001:db8::9 is after range end 2001:db8::1'],
    ['10.0.0.1-2001:db8::1', 'range start is IPv4 but range end is IPv6'],
    ['::2:0:0-10.0.0.1', 'range start is IPv6 but range end is IPv4'],
    ['10.0.0.1-', "range end '' is not an IPv4 or IPv6 address"],
    ['10.0.0.1-10.0.0.2-10.0.0.3', "range end '10.0.0.2-10.0.0.3' is not an IPv4 or IPv6 address"],
    ['10.0.0.1/8-10.0.0.3', "prefix length '8-10.0.0.3' is not a whole number"],
    ['x-10.0.0.3', "range start 'x' is not an IPv4 or IPv6 address"],
    ['10.0.0.0(255.0.255.0)', 'netmask 255.0.255.0 is not contiguous'],
    ['10.0.0.0(0.255.255.255)', 'netmask 0.255.255.255 is not contiguous'],
    ['10.0.0.0(255.0.0.0', "netmask must end with ')'"],
    ['10.0.0.0(255.0.0.0))', "netmask '255.0.0.0)' is not an IPv4 address"],
    ['10.0.0.0(24)', "netmask '24' is not an IPv4 address"],
    ['10.0.0.0(ffff:ff00::)', "netmask 'ffff:ff00::' is not an IPv4 address"],
    ['2001:db8::(255.255.0.0)', 'a netmask in parentheses is only valid for IPv4 addresses'],
  ])('%j', (text, expected) => {
    expect(reason(text)).toBe(expected);
  });

  it('shortens hostile text quoted in a reason', () => {
    const text = `10.0.0.${'9'.repeat(200)}`;
    expect(reason(text)).toBe(`'10.0.0.${'9'.repeat(38)}...' is not an IPv4 or IPv6 address`);
    expect(reason('1'.repeat(100_000))).toBe('value is too long (100000 characters)');
  });

  it('never throws, and whatever it accepts is a sound range that round-trips', () => {
    const random = seededRandom(1234);
    const alphabet = '0123456789abcdefABCDEF:.-/() %\t١x';
    const seeds = [
      '10.0.0.0/8',
      '::ffff:1.2.3.4/120',
      '10.0.0.1-10.0.0.9',
      '1.0.0.0(255.0.0.0)',
      '2001:db8::/32',
    ];
    let accepted = 0;
    const unsound: string[] = [];
    for (let round = 0; round < 20_000; round++) {
      let text: string;
      if (round % 2 === 0) {
        text = Array.from(
          { length: randomInt(random, 0, 24) },
          () => alphabet[randomInt(random, 0, 32)],
        ).join('');
      } else {
        text = seeds[round % seeds.length]!;
        for (let edits = randomInt(random, 1, 3); edits > 0; edits--) {
          const at = randomInt(random, 0, text.length);
          text = text.slice(0, at) + alphabet[randomInt(random, 0, 32)] + text.slice(at + 1);
        }
      }
      const result: RangeParseResult = parseRemoteIpRange(text);
      if (!result.ok) {
        if (result.reason.length === 0) unsound.push(`${text}: empty reason`);
        continue;
      }
      accepted++;
      const { family, first, last } = result.range;
      const max = family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
      const again = parseRemoteIpRange(formatRange(result.range));
      const roundTrips = again.ok && again.range.first === first && again.range.last === last;
      if (first < 0n || first > last || last > max || !roundTrips) unsound.push(text);
    }
    expect(unsound).toEqual([]);
    expect(accepted).toBeGreaterThan(1000);
  });
});

describeWithLabData('the real Exchange 2019 export', () => {
  const xml = labBytes('GetReceiveConnector.xml').toString('utf8');
  // Each IPRange object: its ToString, then Props holding LowerBound, UpperBound, RangeFormat, Size, Expression.
  const ranges = [...xml.matchAll(/<ToString>([^<]*)<\/ToString>\s*<Props>([^]*?)<\/Props>/g)]
    .filter((match) => match[2]!.includes('N="RangeFormat"'))
    .map((match) => ({ text: match[1]!, props: match[2]! }));
  const property = (block: string, name: string) => new RegExp(`<S N="${name}">([^<]*)</S>`).exec(block)?.[1];

  it('parses every RemoteIPRanges entry to the bounds Exchange printed', () => {
    expect(ranges).toHaveLength(10);
    for (const { text, props: block } of ranges) {
      const result = parseRemoteIpRange(text);
      expect(result.ok && result.format).toBe(property(block, 'RangeFormat'));
      if (!result.ok) continue;
      const lower = parseIpAddress(property(block, 'LowerBound')!)!;
      const upper = parseIpAddress(property(block, 'UpperBound')!)!;
      expect(result.range).toEqual({ family: lower.family, first: lower.value, last: upper.value });
      expect(isWholeFamily(result.range)).toBe(true);
    }
  });

  it('computes the size from the bounds (Exchange prints 2^32 as "::1:0:0")', () => {
    expect(rangeSize(range('0.0.0.0-255.255.255.255'))).toBe(parseIpAddress('::1:0:0')!.value);
    expect(rangeSize(range('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe(1n << 128n);
  });
});

describe('range helpers', () => {
  it('formats canonically: one address, an exact CIDR block, or lo-hi', () => {
    expect(formatRange(range('10.1.1.5-10.1.1.5'))).toBe('10.1.1.5');
    expect(formatRange(range('192.168.1.77/24'))).toBe('192.168.1.0/24');
    expect(formatRange(range('10.0.0.0(255.0.0.0)'))).toBe('10.0.0.0/8');
    expect(formatRange(range('10.0.0.2-10.0.0.3'))).toBe('10.0.0.2/31');
    expect(formatRange(range('10.0.0.1-10.0.0.2'))).toBe('10.0.0.1-10.0.0.2');
    expect(formatRange(range('10.0.0.0-10.0.0.191'))).toBe('10.0.0.0-10.0.0.191');
    expect(formatRange(range('0.0.0.0-255.255.255.255'))).toBe('0.0.0.0/0');
    expect(formatRange(range('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe('::/0');
    expect(formatRange(range('2001:0DB8::CD3/60'))).toBe('2001:db8::/60');
    expect(formatRange(range('2001:db8::1-2001:db8::ff'))).toBe('2001:db8::1-2001:db8::ff');
  });

  it('formats IPv4 ranges given as numbers as formatRange does', () => {
    const random = seededRandom(4242);
    const cases: [number, number][] = [
      [0, 2 ** 32 - 1],
      [0, 2 ** 31 - 1],
      [2 ** 31, 2 ** 32 - 1],
      [1, 2 ** 32 - 1],
      [0, 2 ** 32 - 2],
      [2 ** 32 - 1, 2 ** 32 - 1],
      [0, 0],
      [10, 11],
      [11, 12],
    ];
    for (let index = 0; index < 2000; index++) {
      // Aligned blocks of every size, and arbitrary ranges.
      const bits = randomInt(random, 0, 32);
      const size = 2 ** bits;
      const first = Math.floor(randomInt(random, 0, 2 ** 32 - 1) / size) * size;
      cases.push([first, first + size - 1]);
      const lo = randomInt(random, 0, 2 ** 32 - 1);
      cases.push([lo, randomInt(random, lo, Math.min(2 ** 32 - 1, lo + randomInt(random, 0, 2 ** 20)))]);
    }
    for (const [first, last] of cases)
      expect(formatIpv4Range(first, last)).toBe(
        formatRange({ family: 4, first: BigInt(first), last: BigInt(last) }),
      );
    expect(() => formatIpv4Range(0, 2 ** 32)).toThrow(RangeError);
  });

  it('gives the prefix length of exact blocks only', () => {
    expect(exactPrefixLength(range('10.0.0.0/8'))).toBe(8);
    expect(exactPrefixLength(range('10.0.0.7'))).toBe(32);
    expect(exactPrefixLength(range('::/0'))).toBe(0);
    expect(exactPrefixLength(range('10.0.0.1-10.0.0.2'))).toBeNull();
    expect(exactPrefixLength(range('10.0.0.0-10.0.0.2'))).toBeNull();
  });

  it('sizes ranges exactly and recognises whole families', () => {
    expect(rangeSize(range('10.0.0.0/8'))).toBe(16_777_216n);
    expect(rangeSize(range('10.0.0.1'))).toBe(1n);
    expect(rangeSize(range('2001:db8::/32'))).toBe(1n << 96n);
    expect(isWholeFamily(range('0.0.0.0/1'))).toBe(false);
    expect(isWholeFamily(range('128.0.0.0-255.255.255.255'))).toBe(false);
  });
});

describe('volume', () => {
  // Speed is watched outside the test suite (no timing asserts here); this proves the volume goes through.
  it('parses 50,000 mixed range strings', () => {
    const texts: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const n = (i * 2654435761) >>> 0;
      const v4 = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
      const texts6 = `2001:db8:${(i & 0xffff).toString(16)}::${(i % 4096).toString(16)}`;
      const forms = [
        v4,
        `${v4}/${i % 33}`,
        `${v4}-255.255.255.255`,
        `${texts6}/64`,
        `${v4}(255.255.0.0)`,
        texts6,
      ];
      texts.push(forms[i % forms.length]!);
    }
    const parsed = texts.map(parseRemoteIpRange);
    expect(parsed.filter((result) => result.ok)).toHaveLength(50_000);
  });
});

describe('bitLength', () => {
  it('agrees with the binary string length', async () => {
    const { bitLength } = await import('../../src/net/ip-range.js');
    for (const value of [
      0n,
      1n,
      2n,
      3n,
      15n,
      16n,
      255n,
      256n,
      2n ** 31n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 32n + 1n,
      2n ** 52n - 1n,
      2n ** 52n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      2n ** 64n - 1n,
      2n ** 127n,
      2n ** 128n - 1n,
      2n ** 128n,
    ]) {
      expect(bitLength(value)).toBe(value === 0n ? 0 : value.toString(2).length);
    }
    // Every length on both sides of the exact-double shortcut (2^53).
    for (let bits = 1; bits <= 130; bits++) {
      const low = 1n << BigInt(bits - 1);
      for (const value of [low, low + (low >> 1n), 2n * low - 1n]) expect(bitLength(value)).toBe(bits);
    }
  });
});
