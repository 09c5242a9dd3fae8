/**
 * RemoteIPRanges entries: Exchange's IPRange syntax (exchange-domain.md §4.1) parsed into inclusive
 * [first, last] bounds. Parsing never throws; a bad value comes back with a short reason.
 */
import {
  FAMILY_BITS,
  familyMax,
  formatIpAddress,
  formatIpv4Number,
  parseIpAddressWithNotation,
  type IpFamily,
  type ParsedIpAddress,
} from './ip-address.js';

export type RangeFormat = 'SingleAddress' | 'CIDR' | 'LoHi' | 'Netmask';

export interface IpRange {
  family: IpFamily;
  first: bigint;
  last: bigint;
}

export type RangeParseResult =
  { ok: true; range: IpRange; format: RangeFormat } | { ok: false; reason: string };

/**
 * What the reader records for a binding or RemoteIPRanges entry whose value the export lost (a serializer that
 * dropped its address): kept as an entry that does not parse, never dropped, so the connector is not read as
 * receiving less than it does.
 */
export const LOST_VALUE = '(value lost by the export)';

// Far above the longest real value (two IPv6 addresses with zone ids); keeps hostile input cheap to reject.
const MAX_RANGE_TEXT = 256;
const SEPARATOR = /[-/(]/;
// Decimal digits as .NET int parsing reads them: "08" is 8. Signs are refused ("-1" is an error either way).
const PREFIX_DIGITS = /^[0-9]{1,3}$/;
// The bits an IPv4-mapped or IPv4-compatible IPv6 address spends before its IPv4 part.
const IPV4_IN_IPV6_BITS = 96;

/**
 * Parses one RemoteIPRanges value the way Exchange's IPRange parser does: split at the first '-', '/' or
 * '(' (none, or at position 0: a single address), then LoHi, CIDR (host bits masked) or Netmask.
 *
 * IPv4 written as IPv6 ("::ffff:10.1.2.0/120") becomes an IPv4 range, as Exchange stores it. Its prefix
 * counts IPv6 bits, so /120 is the IPv4 /24; a prefix below 96 would reach past the IPv4 block into plain
 * IPv6 space and is refused rather than guessed at.
 */
export function parseRemoteIpRange(text: string): RangeParseResult {
  if (text.length > MAX_RANGE_TEXT) return fail(`value is too long (${text.length} characters)`);
  const trimmed = text.trim();
  if (trimmed === '') return fail('value is empty');
  if (trimmed === LOST_VALUE)
    return fail('the export lost this value; export the connectors again with Export-Clixml');
  const at = trimmed.search(SEPARATOR);
  if (at <= 0) return parseSingle(trimmed);
  const left = trimmed.slice(0, at);
  const right = trimmed.slice(at + 1);
  switch (trimmed[at]) {
    case '-':
      return parseLoHi(left, right);
    case '/':
      return parseCidr(left, right);
    default:
      return parseNetmask(left, right);
  }
}

function parseSingle(text: string): RangeParseResult {
  const parsed = parseIpAddressWithNotation(text);
  if (parsed === null) return fail(`${quote(text)} is not an IPv4 or IPv6 address`);
  const { family, value } = parsed.address;
  return { ok: true, range: { family, first: value, last: value }, format: 'SingleAddress' };
}

function parseLoHi(startText: string, endText: string): RangeParseResult {
  const start = parseIpAddressWithNotation(startText);
  if (start === null) return fail(`range start ${quote(startText)} is not an IPv4 or IPv6 address`);
  const end = parseIpAddressWithNotation(endText);
  if (end === null) return fail(`range end ${quote(endText)} is not an IPv4 or IPv6 address`);
  const { family, value: first } = start.address;
  const last = end.address.value;
  if (end.address.family !== family) {
    return fail(`range start is IPv${family} but range end is IPv${end.address.family}`);
  }
  if (first > last) {
    return fail(
      `range start ${formatIpAddress(start.address)} is after range end ${formatIpAddress(end.address)}`,
    );
  }
  return { ok: true, range: { family, first, last }, format: 'LoHi' };
}

function parseCidr(addressText: string, prefixText: string): RangeParseResult {
  const parsed = parseIpAddressWithNotation(addressText);
  if (parsed === null) return fail(`${quote(addressText)} is not an IPv4 or IPv6 address`);
  const prefix = prefixText.trim();
  if (prefix === '') return fail("prefix length is missing after '/'");
  if (!PREFIX_DIGITS.test(prefix)) return fail(`prefix length ${quote(prefix)} is not a whole number`);
  const length = familyPrefixLength(parsed, Number(prefix));
  if (typeof length === 'string') return fail(length);
  return { ok: true, range: blockOf(parsed.address.family, parsed.address.value, length), format: 'CIDR' };
}

/** The prefix length in the address's own family, or the reason it is not acceptable. */
function familyPrefixLength(parsed: ParsedIpAddress, written: number): number | string {
  const { notation, address } = parsed;
  if (written > FAMILY_BITS[notation]) return `prefix length ${written} is out of range for IPv${notation}`;
  if (notation === address.family) return written;
  if (written < IPV4_IN_IPV6_BITS) {
    return (
      `prefix length ${written} on the IPv4 address ${formatIpAddress(address)} written as IPv6 ` +
      `reaches outside the IPv4 space; use ${IPV4_IN_IPV6_BITS}-128 or IPv4 notation`
    );
  }
  return written - IPV4_IN_IPV6_BITS;
}

function parseNetmask(addressText: string, rest: string): RangeParseResult {
  const parsed = parseIpAddressWithNotation(addressText);
  if (parsed === null) return fail(`${quote(addressText)} is not an IPv4 or IPv6 address`);
  if (!rest.endsWith(')')) return fail("netmask must end with ')'");
  if (parsed.address.family !== 4) return fail('a netmask in parentheses is only valid for IPv4 addresses');
  const maskText = rest.slice(0, -1).trim();
  const mask = parseIpAddressWithNotation(maskText);
  if (mask === null || mask.notation !== 4) return fail(`netmask ${quote(maskText)} is not an IPv4 address`);
  const length = contiguousMaskLength(mask.address.value);
  if (length === null) return fail(`netmask ${maskText} is not contiguous`);
  return { ok: true, range: blockOf(4, parsed.address.value, length), format: 'Netmask' };
}

/** 255.255.255.0 -> 24; null when the one bits are not all at the top. */
function contiguousMaskLength(mask: bigint): number | null {
  const hostBits = ~mask & familyMax(4);
  if ((hostBits & (hostBits + 1n)) !== 0n) return null;
  return FAMILY_BITS[4] - bitLength(hostBits);
}

/** The CIDR block of the given prefix length that contains value (host bits masked, as Exchange does). */
function blockOf(family: IpFamily, value: bigint, prefixLength: number): IpRange {
  const hostMask = (1n << BigInt(FAMILY_BITS[family] - prefixLength)) - 1n;
  const first = value & ~hostMask;
  return { family, first, last: first | hostMask };
}

export function rangeSize(range: IpRange): bigint {
  return range.last - range.first + 1n;
}

export function isWholeFamily(range: IpRange): boolean {
  return range.first === 0n && range.last === familyMax(range.family);
}

/** The prefix length when the range is exactly one CIDR block, else null. */
export function exactPrefixLength(range: IpRange): number | null {
  const size = rangeSize(range);
  if ((size & (size - 1n)) !== 0n || (range.first & (size - 1n)) !== 0n) return null;
  return FAMILY_BITS[range.family] - (bitLength(size) - 1);
}

/** Canonical text: "a" for one address, "a/len" for an exact CIDR block, else "a-b". */
export function formatRange(range: IpRange): string {
  const first = formatIpAddress({ family: range.family, value: range.first });
  if (range.first === range.last) return first;
  // Joined, not concatenated, for the reason formatIpAddress gives.
  const prefix = exactPrefixLength(range);
  if (prefix !== null) return [first, prefix].join('/');
  return [first, formatIpAddress({ family: range.family, value: range.last })].join('-');
}

const TWO_POW_32 = 2 ** 32;

/**
 * formatRange of an IPv4 range given as numbers (0 <= first <= last < 2^32): the same text, without the BigInts
 * of an IpRange. Reports format hundreds of thousands of IPv4 ranges.
 */
export function formatIpv4Range(first: number, last: number): string {
  const firstText = ipv4Text(first);
  if (first === last) return firstText;
  const size = last - first + 1;
  // size <= 2^32: a power of two is exactly 2^(bits of size - 1), and its block is aligned when first is a multiple.
  const log = size === TWO_POW_32 ? 32 : 31 - Math.clz32(size);
  if (2 ** log === size && first % size === 0) return [firstText, 32 - log].join('/');
  return [firstText, ipv4Text(last)].join('-');
}

function ipv4Text(value: number): string {
  if (!(Number.isInteger(value) && value >= 0 && value < TWO_POW_32)) {
    throw new RangeError(`value ${value} is out of range for IPv4 (programming error)`);
  }
  return formatIpv4Number(value);
}

const TWO_POW_53 = 2n ** 53n;

/** Number of bits needed for a non-negative value (hex is a quarter the length of a binary string). */
export function bitLength(value: bigint): number {
  // Below 2^53 the value is an exact double: no text needed (every range size and address of IPv4 is).
  if (value < TWO_POW_53) {
    const number = Number(value);
    if (number < TWO_POW_32) return 32 - Math.clz32(number);
    return 64 - Math.clz32(Math.floor(number / TWO_POW_32));
  }
  const hex = value.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0] as string, 16)));
}

function fail(reason: string): RangeParseResult {
  return { ok: false, reason };
}

/** Quotes user text for a reason, shortened so a hostile value cannot flood a report. */
export function quote(text: string): string {
  const shown = text.length > 48 ? `${text.slice(0, 45)}...` : text;
  return `'${shown}'`;
}
