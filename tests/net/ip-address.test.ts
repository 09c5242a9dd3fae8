import { describe, expect, it } from '@jest/globals';
import { isIP } from 'node:net';
import {
  FAMILY_BITS,
  familyMax,
  formatIpAddress,
  isIpv6Text,
  parseIpAddress,
  parseIpAddressWithNotation,
  parseIpv4Text,
  parseIpv6Text,
  type IpAddress,
} from '../../src/net/ip-address.js';
import { Validator } from 'ip-num';
import { seededRandom } from './seeded-random.js';

function parsed(text: string): { family: number; text: string } | null {
  const address = parseIpAddress(text);
  return address === null ? null : { family: address.family, text: formatIpAddress(address) };
}

describe('parseIpAddress', () => {
  it('reads dotted quads', () => {
    expect(parseIpAddress('0.0.0.0')).toEqual({ family: 4, value: 0n });
    expect(parseIpAddress('255.255.255.255')).toEqual({ family: 4, value: 0xffffffffn });
    expect(parseIpAddress('192.168.1.75')).toEqual({ family: 4, value: 0xc0a8014bn });
  });

  it('reads IPv6 in every standard form, case-insensitively', () => {
    expect(parseIpAddress('2001:0db8:0000:0000:0000:0000:0000:0cd3')).toEqual({
      family: 6,
      value: 0x20010db8000000000000000000000cd3n,
    });
    expect(parsed('2001:0DB8::CD3')).toEqual({ family: 6, text: '2001:db8::cd3' });
    expect(parsed('FE80::39BD:88F7:6969:D223')).toEqual({ family: 6, text: 'fe80::39bd:88f7:6969:d223' });
    expect(parsed('1::')).toEqual({ family: 6, text: '1::' });
    expect(parsed('1:2:3:4:5:6:7::')).toEqual({ family: 6, text: '1:2:3:4:5:6:7:0' });
    expect(parsed('64:ff9b::192.0.2.33')).toEqual({ family: 6, text: '64:ff9b::c000:221' });
    expect(parseIpAddress('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toEqual({
      family: 6,
      value: familyMax(6),
    });
  });

  it('drops a zone id, numeric (Windows) or named', () => {
    expect(parsed('fe80::39bd:88f7:6969:d223%11')).toEqual({ family: 6, text: 'fe80::39bd:88f7:6969:d223' });
    expect(parsed('fe80::1%eth0')).toEqual({ family: 6, text: 'fe80::1' });
    expect(parseIpAddress('fe80::1%')).toBeNull();
    expect(parseIpAddress('fe80::1%1%2')).toBeNull();
    expect(parseIpAddress('10.0.0.1%1')).toBeNull();
  });

  it('turns IPv4-mapped and IPv4-compatible IPv6 into IPv4, as Exchange stores them', () => {
    expect(parseIpAddress('::ffff:10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIpAddress('::FFFF:a01:203')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIpAddress('::10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIpAddress('::ffff:0:0')).toEqual({ family: 4, value: 0n });
    // Exchange prints the size 65536 as "0.1.0.0" for the same reason: any ::/96 value above ::1 is IPv4.
    expect(parsed('::1:0')).toEqual({ family: 4, text: '0.1.0.0' });
  });

  it('keeps :: and ::1, and values above 32 bits, as IPv6', () => {
    expect(parseIpAddress('::')).toEqual({ family: 6, value: 0n });
    expect(parseIpAddress('::1')).toEqual({ family: 6, value: 1n });
    // The IPv4 full range's Size as Exchange serialises it: 2^32.
    expect(parseIpAddress('::1:0:0')).toEqual({ family: 6, value: 1n << 32n });
    expect(parsed('::fffe:10.1.2.3')).toEqual({ family: 6, text: '::fffe:a01:203' });
  });

  it('reports which notation the text used', () => {
    expect(parseIpAddressWithNotation('::ffff:10.1.2.3')).toEqual({
      address: { family: 4, value: 0x0a010203n },
      notation: 6,
    });
    expect(parseIpAddressWithNotation('10.1.2.3')?.notation).toBe(4);
  });

  it('tolerates surrounding whitespace', () => {
    expect(parsed(' \t10.0.0.1\r\n')).toEqual({ family: 4, text: '10.0.0.1' });
    expect(parsed('  ::1  ')).toEqual({ family: 6, text: '::1' });
  });

  it.each([
    '',
    '   ',
    '10.0.0',
    '10.1',
    '1.2.3.4.5',
    '256.0.0.1',
    '010.0.0.1', // .NET would read the octet as octal; refusing beats guessing
    '0x0a.0.0.1',
    '1.2.3.-4',
    '１.2.3.4', // full-width digit
    '١٠.0.0.1', // Arabic-Indic digits
    '1 .2.3.4',
    ':::',
    '1::2::3',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    '::1.2.3',
    '::256.1.1.1',
    '[::1]',
    '::1/128',
    '10.0.0.1/32',
    '10.0.0.1-10.0.0.2',
    'localhost',
  ])('returns null for %j', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it('returns null for huge inputs', () => {
    for (const unit of ['1', ':', '1:', 'ffff:', '1.'])
      expect(parseIpAddress(unit.repeat(100_000))).toBeNull();
  });

  // Node's own parser (node:net isIP) is an independent oracle for what counts as an address.
  it('agrees with node:net on thousands of generated and mutated addresses', () => {
    const random = seededRandom(20240611);
    const mismatches: string[] = [];
    let valid = 0;
    for (let round = 0; round < 4000; round++) {
      const text = round % 2 === 0 ? randomAddressText(random) : mutate(randomAddressText(random), random);
      const ours = parseIpAddress(text) !== null;
      if (ours !== (isIP(text) !== 0)) mismatches.push(text);
      if (ours) valid++;
    }
    expect(mismatches).toEqual([]);
    // Both verdicts must be well represented, or the comparison proves little.
    expect(valid).toBeGreaterThan(1000);
    expect(valid).toBeLessThan(3000);
  });

  it('converts IPv6 text to the same value as the WHATWG URL parser', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 2000; round++) {
      const text = randomIpv6Text(random);
      const value = parseIpv6Text(text);
      expect(value).not.toBeNull();
      const viaUrl = new URL(`http://[${text}]/`).hostname.slice(1, -1);
      expect(formatIpAddress({ family: 6, value: value! })).toBe(viaUrl);
    }
  });
});

describe('formatIpAddress', () => {
  const v6 = (text: string): IpAddress => ({ family: 6, value: parseIpv6Text(text)! });

  it('follows RFC 5952', () => {
    expect(formatIpAddress(v6('2001:0DB8:0000:0000:0001:0000:0000:0001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpAddress(v6('2001:db8:0:0:0:1:0:0'))).toBe('2001:db8::1:0:0');
    expect(formatIpAddress(v6('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpAddress(v6('0:0:0:0:0:0:0:0'))).toBe('::');
    expect(formatIpAddress(v6('1:0:0:0:0:0:0:0'))).toBe('1::');
    expect(formatIpAddress(v6('0:0:0:0:0:0:0:1'))).toBe('::1');
    expect(formatIpAddress(v6('::ffff:10.1.2.3'))).toBe('::ffff:a01:203');
  });

  it('prints IPv4 as a dotted quad', () => {
    expect(formatIpAddress({ family: 4, value: 0xc0a8014bn })).toBe('192.168.1.75');
    expect(formatIpAddress({ family: 4, value: familyMax(4) })).toBe('255.255.255.255');
  });

  it('refuses values outside the family as a programming error', () => {
    expect(() => formatIpAddress({ family: 4, value: 1n << 32n })).toThrow(RangeError);
    expect(() => formatIpAddress({ family: 6, value: -1n })).toThrow(RangeError);
  });

  it('round-trips random values, IPv6 values with zero runs included', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 2000; round++) {
      const value = randomWords(random).reduce((sum, word) => (sum << 16n) | BigInt(word), 0n);
      expect(parseIpv6Text(formatIpAddress({ family: 6, value }))).toBe(value);
      const v4 = BigInt(Math.floor(random() * 2 ** 32));
      expect(parseIpAddress(formatIpAddress({ family: 4, value: v4 }))).toEqual({ family: 4, value: v4 });
    }
  });
});

describe('parseIpv4Text', () => {
  // The pattern the hand-written reader replaced (ip-num's Validator.IPV4_PATTERN, as published).
  const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  const PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
  const byPattern = (text: string): bigint | null => {
    const match = PATTERN.exec(text);
    return match === null
      ? null
      : BigInt(match.slice(1).reduce((value, octet) => value * 256 + Number(octet), 0));
  };

  it('accepts and refuses exactly what the pattern did, on random text of digits and dots', () => {
    const random = seededRandom(99);
    const alphabet = [
      '0',
      '0',
      '1',
      '2',
      '5',
      '9',
      '.',
      '.',
      '.',
      '25',
      '255',
      '256',
      '00',
      ' ',
      'a',
      '-',
      '\n',
    ];
    let accepted = 0;
    for (let round = 0; round < 40_000; round++) {
      let text = '';
      for (let length = Math.floor(random() * 9); length > 0; length--)
        text += alphabet[Math.floor(random() * alphabet.length)] as string;
      // Half the cases are four random octets, so that valid addresses are common.
      if (round % 2 === 0)
        text = Array.from({ length: 4 }, () =>
          String(Math.floor(random() * 300)).padStart(random() < 0.1 ? 2 : 1, '0'),
        ).join('.');
      const expected = byPattern(text);
      if (expected !== null) accepted++;
      expect([text, parseIpv4Text(text)]).toEqual([text, expected]);
    }
    // Guard: both answers are frequent.
    expect(accepted).toBeGreaterThan(5_000);
    expect(accepted).toBeLessThan(35_000);
  });

  it('reads the edges of the space', () => {
    expect(parseIpv4Text('0.0.0.0')).toBe(0n);
    expect(parseIpv4Text('255.255.255.255')).toBe(4294967295n);
    for (const text of [
      '1.2.3',
      '1.2.3.4.',
      '.1.2.3',
      '1..2.3',
      '01.2.3.4',
      '1.2.3.256',
      '1.2.3.4 ',
      '１.2.3.4',
    ])
      expect([text, parseIpv4Text(text)]).toEqual([text, null]);
  });
});

describe('isIpv6Text', () => {
  const PATTERN = Validator.IPV6_PATTERN;
  const pieces = [
    '0',
    '1',
    'f',
    'F',
    'ab',
    '0db8',
    'ffff',
    '12345',
    'g',
    ':',
    ':',
    ':',
    '::',
    '.',
    '1.2.3.4',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    ' ',
  ];
  const group = (random: () => number) =>
    ['0', '1', 'a', 'ff', 'fff', 'FFFF', 'db8', '12345', ''][Math.floor(random() * 9)] as string;

  /** Mostly near-addresses: 0-9 groups, a "::" somewhere or none, sometimes a dotted quad last. */
  function nearAddress(random: () => number): string {
    const groups = Array.from({ length: Math.floor(random() * 10) }, () => group(random));
    if (random() < 0.3) groups.push(['1.2.3.4', '10.0.0.256', '0.0.0.0', '1.2.3'][Math.floor(random() * 4)]!);
    let text = groups.join(':');
    if (random() < 0.6) {
      const at = Math.floor(random() * (text.length + 1));
      text = `${text.slice(0, at)}::${text.slice(at)}`;
    }
    return text;
  }

  it("accepts and refuses exactly what ip-num's pattern does, on random text", () => {
    const random = seededRandom(66);
    let accepted = 0;
    for (let round = 0; round < 60_000; round++) {
      let text = '';
      if (round % 2 === 0) text = nearAddress(random);
      else
        for (let length = Math.floor(random() * 12); length > 0; length--)
          text += pieces[Math.floor(random() * pieces.length)] as string;
      const expected = PATTERN.test(text);
      if (expected) accepted++;
      expect([text, isIpv6Text(text)]).toEqual([text, expected]);
    }
    // Guard: both answers are frequent.
    expect(accepted).toBeGreaterThan(3_000);
    expect(accepted).toBeLessThan(50_000);
  });

  it('reads the edge forms', () => {
    for (const text of [
      '::',
      '::1',
      '1::',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '1:2:3:4:5:6:1.2.3.4',
      '::1.2.3.4',
    ])
      expect([text, isIpv6Text(text)]).toEqual([text, true]);
    for (const text of [
      '',
      ':',
      ':::',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '1.2.3.4::',
      '::1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:1.2.3.4',
    ])
      expect([text, isIpv6Text(text)]).toEqual([text, false]);
  });
});

describe('family constants', () => {
  it('gives bit widths and the largest value', () => {
    expect(FAMILY_BITS).toEqual({ 4: 32, 6: 128 });
    expect(familyMax(4)).toBe(4294967295n);
    expect(familyMax(6)).toBe(340282366920938463463374607431768211455n);
  });
});

/** Eight 16-bit words, with zero runs often enough to exercise "::" compression. */
function randomWords(random: () => number): number[] {
  return Array.from({ length: 8 }, () => (random() < 0.4 ? 0 : Math.floor(random() * 0x10000)));
}

function randomIpv6Text(random: () => number): string {
  const words = randomWords(random).map((word) => word.toString(16));
  if (random() < 0.3) {
    const tail = Math.floor(random() * 2 ** 32);
    words.splice(6, 2, `${tail >>> 24}.${(tail >>> 16) & 255}.${(tail >>> 8) & 255}.${tail & 255}`);
  }
  const upper = random() < 0.3;
  const compressAt = Math.floor(random() * 9);
  const compressLength = Math.floor(random() * 4);
  let text: string;
  if (random() < 0.7 && compressLength > 0 && compressAt + compressLength <= words.length) {
    const head = words.slice(0, compressAt).join(':');
    const tail = words.slice(compressAt + compressLength).join(':');
    const allZero = words.slice(compressAt, compressAt + compressLength).every((w) => w === '0');
    text = allZero ? `${head}::${tail}` : words.join(':');
  } else {
    text = words.join(':');
  }
  return upper ? text.toUpperCase() : text;
}

function randomAddressText(random: () => number): string {
  if (random() < 0.3) {
    return Array.from({ length: 4 }, () => Math.floor(random() * 300)).join('.');
  }
  return randomIpv6Text(random);
}

/** Deletes, duplicates or replaces one character: near-misses that a loose parser would accept. */
function mutate(text: string, random: () => number): string {
  const alphabet = '0123456789abcdefABCDEFg:.';
  const at = Math.floor(random() * (text.length + 1));
  const char = alphabet[Math.floor(random() * alphabet.length)]!;
  switch (Math.floor(random() * 3)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + char + text.slice(at);
    default:
      return text.slice(0, at) + char + text.slice(at + 1);
  }
}
