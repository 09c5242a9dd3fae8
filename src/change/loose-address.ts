/**
 * Address texts that .NET's IPAddress.TryParse accepts but exrelay's strict parser (src/net) does not: IPv4 in
 * fewer than four parts ("10.1", "10"), octal and hex parts ("010.0.0.1", "0x0A.0.0.1") and bracketed IPv6
 * ("[::1]"). Exchange's IPRange parser reads addresses with TryParse (exchange-domain.md §4.1), so a change
 * script may write "10/8" or "0-4294967295" and have Exchange accept it. Such a value is not refused (that would
 * call a change safe that Exchange applies); the command is listed as not evaluated.
 */

import { parseIpAddress } from '../net/ip-address.js';

const HEX = /^0[xX][0-9a-fA-F]+$/;
const OCTAL = /^0[0-7]*$/;
const DECIMAL = /^[1-9][0-9]*$/;
// Longer parts are refused by .NET in any case (no IPv4 part needs more than 11 octal digits).
const MAX_PART = 12;

function partValue(part: string): bigint | null {
  if (part.length > MAX_PART) return null;
  if (HEX.test(part)) return BigInt(part.toLowerCase());
  if (OCTAL.test(part)) return BigInt(`0o${part.slice(1) || '0'}`);
  if (DECIMAL.test(part)) return BigInt(part);
  return null;
}

/** The dotted quad .NET reads from IPv4 text in inet_aton form (1 to 4 parts, the last filling the rest), or null. */
export function dotnetIpv4Reading(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values = parts.map(partValue);
  if (values.some((value) => value === null)) return null;
  const last = values.pop() as bigint;
  if (values.some((value) => (value as bigint) > 255n)) return null;
  const lastBits = BigInt(8 * (4 - values.length));
  if (last >= 1n << lastBits) return null;
  let number = 0n;
  for (const value of values) number = (number << 8n) | (value as bigint);
  number = (number << lastBits) | last;
  return [24n, 16n, 8n, 0n].map((shift) => String((number >> shift) & 255n)).join('.');
}

/** What .NET reads from an address text exrelay's parser refuses; null when .NET refuses it too (or exrelay reads it). */
export function looseAddressReading(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || parseIpAddress(trimmed) !== null) return null;
  const bracketed = /^\[(.+)\]$/.exec(trimmed);
  if (bracketed && parseIpAddress(bracketed[1] as string)?.family === 6) return bracketed[1] as string;
  return dotnetIpv4Reading(trimmed);
}

/**
 * The first address in a RemoteIPRanges value that only .NET's loose parsing reads, split as Exchange splits the
 * value (first '-', '/' or '('), with its reading; null when there is none.
 */
export function looseRangeAddress(value: string): { written: string; reading: string } | null {
  const text = value.trim();
  const at = text.search(/[-/(]/);
  const addresses =
    at <= 0
      ? [text]
      : text[at] === '/'
        ? [text.slice(0, at)]
        : [text.slice(0, at), text.slice(at + 1).replace(/\)$/, '')];
  for (const written of addresses) {
    const reading = looseAddressReading(written);
    if (reading !== null) return { written: written.trim(), reading };
  }
  return null;
}
