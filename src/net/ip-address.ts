/**
 * Single IP addresses as numbers. Text is read in the language of ip-num's patterns, whose IPv6 pattern has the
 * last word on text the reader refuses; the numeric conversion is ours, because ip-num's IPv6 constructor costs
 * ~14 µs per address and a large organisation has tens of thousands.
 */
import { createRequire } from 'node:module';

// Only the validator, through require: importing ip-num's ESM entry point loads and wraps every one of its
// modules and adds ~40 ms to exrelay's start-up.
const { Validator } = createRequire(import.meta.url)(
  'ip-num/dist/src/Validator.js',
) as typeof import('ip-num/dist/src/Validator.js');

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

/** An address together with the notation it was written in: "::ffff:10.1.2.3" is family 4 written as IPv6. */
export interface ParsedIpAddress {
  address: IpAddress;
  notation: IpFamily;
}

export const FAMILY_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

const FAMILY_MAX: Record<IpFamily, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

export function familyMax(family: IpFamily): bigint {
  return FAMILY_MAX[family];
}

// "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is the longest IPv6 text without a zone id.
const MAX_IPV6_TEXT = 45;
const IPV6_CHARACTERS = /^[0-9A-Fa-f:.]+$/;
// Zone ids are interface indexes on Windows ("%11") and names elsewhere ("%eth0"); '-' would clash with LoHi.
const ZONE_ID = /^[0-9A-Za-z_.]{1,64}$/;
const IPV4_MAPPED_PREFIX = 0xffffn;

/**
 * Parses one address. IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) IPv6 addresses become
 * family 4, as Exchange stores them; "::" and "::1" stay IPv6. A zone id is dropped. Never throws.
 */
export function parseIpAddress(text: string): IpAddress | null {
  return parseIpAddressWithNotation(text)?.address ?? null;
}

/** Like parseIpAddress, and also tells whether the text was IPv4 or IPv6 notation (CIDR prefixes need it). */
export function parseIpAddressWithNotation(text: string): ParsedIpAddress | null {
  const trimmed = text.trim();
  const v4 = parseIpv4Text(trimmed);
  if (v4 !== null) return { address: { family: 4, value: v4 }, notation: 4 };
  const v6 = parseIpv6Text(trimmed);
  if (v6 === null) return null;
  return { address: ipv4EmbeddedIn(v6) ?? { family: 6, value: v6 }, notation: 6 };
}

/** A strict dotted quad (no leading zeros, no shorthand): the value, or null. */
export function parseIpv4Text(text: string): bigint | null {
  const value = ipv4Number(text);
  return value === null ? null : BigInt(value);
}

/**
 * The language of ip-num's IPV4_PATTERN (four octets 0-255 without leading zeros, nothing around them), read one
 * character at a time: the pattern's match and its four captures cost more than the rest of parsing a range
 * (tests/net/ip-address.test.ts compares both on random text).
 */
function ipv4Number(text: string): number | null {
  if (text.length > 15) return null;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x2e) {
      if (digits === 0 || dots === 3) return null;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 0x30 && code <= 0x39) {
      // A second digit after a leading 0 ("01", "00") is refused, as by the pattern.
      if (digits > 0 && octet === 0) return null;
      octet = octet * 10 + (code - 0x30);
      digits++;
      if (octet > 255) return null;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return value * 256 + octet;
}

/** Any standard IPv6 text, optionally with a zone id (dropped): the raw 128-bit value, or null. */
export function parseIpv6Text(text: string): bigint | null {
  const percent = text.indexOf('%');
  const body = percent < 0 ? text : text.slice(0, percent);
  if (percent >= 0 && !ZONE_ID.test(text.slice(percent + 1))) return null;
  // Every IPv6 text has a colon: a bad dotted quad ("10.0.0.300") is refused here, not by the pattern below.
  if (body.length > MAX_IPV6_TEXT || !body.includes(':') || !IPV6_CHARACTERS.test(body)) return null;
  // ip-num's pattern is asked only about text the reader refuses: V8 compiles that 1,200-character expression
  // on its first two uses, ~11 ms of every start of a run whose input holds an IPv6 text (every organisation).
  if (!isIpv6Text(body) && !Validator.IPV6_PATTERN.test(body)) return null;
  return ipv6TextToValue(body);
}

/**
 * The language of ip-num's IPV6_PATTERN (without its zone id), read one character at a time: eight groups of 1-4
 * hex digits separated by colons, or fewer around one "::" that stands for at least one group; the last two
 * groups may be written as a dotted quad. tests/net/ip-address.test.ts compares both on random text.
 */
export function isIpv6Text(text: string): boolean {
  const gap = text.indexOf('::');
  if (gap < 0) return groupCount(text, 0, text.length, true) === 8;
  if (text.indexOf('::', gap + 1) >= 0) return false;
  const head = gap === 0 ? 0 : groupCount(text, 0, gap, false);
  const tail = gap + 2 === text.length ? 0 : groupCount(text, gap + 2, text.length, true);
  return head >= 0 && tail >= 0 && head + tail <= 7;
}

/**
 * The groups in text[start, end): hex groups separated by single colons, the last one possibly a dotted quad
 * (which counts as two); -1 when the text is no such list.
 */
function groupCount(text: string, start: number, end: number, quadAllowed: boolean): number {
  let groups = 0;
  let digits = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x3a) {
      if (digits === 0) return -1;
      groups++;
      digits = 0;
    } else if (code === 0x2e) {
      if (!quadAllowed) return -1;
      return ipv4Number(text.slice(index - digits, end)) === null ? -1 : groups + 2;
    } else if (!isHexDigit(code) || ++digits > 4) return -1;
  }
  return digits === 0 ? -1 : groups + 1;
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** The IPv4 address inside an IPv4-mapped or IPv4-compatible IPv6 value, else null. */
function ipv4EmbeddedIn(value: bigint): IpAddress | null {
  const high = value >> 32n;
  const low = value & FAMILY_MAX[4];
  if (high === IPV4_MAPPED_PREFIX) return { family: 4, value: low };
  // :: (unspecified) and ::1 (loopback) are IPv6 addresses in their own right, not compatible IPv4.
  if (high === 0n && value > 1n) return { family: 4, value: low };
  return null;
}

/** Converts text that is in ip-num's IPv6 language; re-checks the group count so it cannot mis-convert. */
function ipv6TextToValue(text: string): bigint | null {
  const gap = text.indexOf('::');
  const head = ipv6Words(gap < 0 ? text : text.slice(0, gap));
  const tail = gap < 0 ? [] : ipv6Words(text.slice(gap + 2));
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (gap < 0 ? missing !== 0 : missing < 1) return null;
  const tailStart = 8 - tail.length;
  const wordAt = (index: number): number =>
    index < head.length ? head[index]! : index >= tailStart ? tail[index - tailStart]! : 0;
  // Assembled from 32-bit pieces held in plain numbers: BigInt steps are the costly part.
  let value = 0n;
  for (let index = 0; index < 8; index += 2) {
    value = (value << 32n) | BigInt(wordAt(index) * 0x10000 + wordAt(index + 1));
  }
  return value;
}

/** The 16-bit words of one side of "::"; an embedded dotted quad (always last) gives two words. */
function ipv6Words(part: string): number[] | null {
  if (part === '') return [];
  const lastColon = part.lastIndexOf(':');
  const lastGroup = part.slice(lastColon + 1);
  const endsInIpv4 = lastGroup.includes('.');
  const hexGroups = endsInIpv4 ? part.slice(0, Math.max(lastColon, 0)) : part;
  const words: number[] = [];
  // A character loop: split() and parseInt() per group made this the slowest step of range parsing.
  let word = 0;
  for (let index = 0; index < hexGroups.length; index++) {
    const code = hexGroups.charCodeAt(index);
    if (code === 0x3a) {
      words.push(word);
      word = 0;
    } else {
      word = word * 16 + hexDigit(code);
    }
  }
  if (hexGroups !== '') words.push(word);
  if (endsInIpv4) {
    const v4 = parseIpv4Text(lastGroup);
    if (v4 === null) return null;
    words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
  }
  return words;
}

/** The value of a hex digit the IPv6 language admits (0-9, a-f, A-F). */
function hexDigit(code: number): number {
  if (code <= 0x39) return code - 0x30;
  return (code | 0x20) - 0x57;
}

/**
 * IPv4 as a dotted quad; IPv6 per RFC 5952 (lowercase, no leading zeros, longest zero run as "::").
 *
 * Texts are built by join, not by `+`: V8 keeps a concatenation of 13 characters or more as a tree of its pieces
 * (three objects for "192.168.100.200"), and findings keep hundreds of thousands of these texts for the whole run.
 */
export function formatIpAddress(address: IpAddress): string {
  const { family, value } = address;
  if (value < 0n || value > FAMILY_MAX[family]) {
    throw new RangeError(`value ${value} is out of range for IPv${family} (programming error)`);
  }
  return family === 4 ? formatIpv4Number(Number(value)) : formatIpv6(value);
}

/** An IPv4 address given as a number (0 <= value < 2^32), as formatIpAddress writes it; no range check. */
export function formatIpv4Number(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Hex texts of 16-bit words, each made once: the same few words recur in every address of a network. */
const WORD_TEXTS: string[] = [];
/** The words of the address being formatted (formatting is synchronous: one scratch array serves every call). */
const WORDS = new Array<number>(8).fill(0);

function formatIpv6(value: bigint): string {
  // One BigInt→hex conversion is much cheaper than eight BigInt shifts; the words are read from its characters
  // (the ones left of its first digit are zeros), and the longest zero run is found on the way: reports format
  // hundreds of thousands of addresses.
  const hex = value.toString(16);
  const zeros = 32 - hex.length;
  // Runs of one zero word are not compressed; on a tie the first run is (RFC 5952 §4.2.2, §4.2.3).
  let runStart = 8;
  let runLength = 1;
  let start = -1;
  for (let word = 0; word < 8; word++) {
    let number = 0;
    for (let index = word * 4; index < word * 4 + 4; index++)
      number = number * 16 + (index < zeros ? 0 : hexDigit(hex.charCodeAt(index - zeros)));
    WORDS[word] = number;
    if (number !== 0) start = -1;
    else {
      if (start < 0) start = word;
      if (word - start + 1 > runLength) {
        runStart = start;
        runLength = word - start + 1;
      }
    }
  }
  // "::" is an empty part where the run was, and one more at either end: ["fd00", "", "1"] → "fd00::1",
  // ["", "", "1"] → "::1".
  const parts: string[] = runStart === 0 ? [''] : [];
  for (let word = 0; word < 8; word++) {
    if (word === runStart) {
      parts.push('');
      word += runLength - 1;
      if (word === 7) parts.push('');
      continue;
    }
    const number = WORDS[word]!;
    parts.push((WORD_TEXTS[number] ??= number.toString(16)));
  }
  return parts.join(':');
}
