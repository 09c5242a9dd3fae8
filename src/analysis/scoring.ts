/**
 * Relay exposure scores, 0–100 (docs/scoring.md has the formula with worked examples).
 *
 * Size is measured in IPv4-equivalent addresses so that IPv6 is not 2^96 times worse than IPv4: an IPv6 /64 is
 * one network and counts like an IPv4 /24 (256), the whole IPv6 space counts like the whole IPv4 space (2^32),
 * and sizes in between are interpolated on a log scale. IPv4 counts are taken as they are.
 */

import type { IntervalSet } from '../net/interval-set.js';
import { addressClassSet } from '../net/address-classes.js';
import { bitLength } from '../net/ip-range.js';
import type { IpFamily } from '../net/ip-address.js';
import { BAND_FLOOR } from './severity.js';

export interface ScopeMetrics {
  /** Exact number of addresses, both families. */
  addresses: bigint;
  /** Exact number of globally routable addresses. */
  publicAddresses: bigint;
  /** log2 of the size in IPv4-equivalent addresses; -Infinity for an empty scope. */
  equivalentLog2: number;
}

/** Up to this many single-host entries is the recommended relay setup ("a few hosts"). */
export const FEW_HOSTS = 8;

export function log2BigInt(value: bigint): number {
  if (value <= 0n) return -Infinity;
  const bits = bitLength(value);
  if (bits <= 52) return Math.log2(Number(value));
  const shift = BigInt(bits - 52);
  return Math.log2(Number(value >> shift)) + Number(shift);
}

/** Map a size (as log2 of the address count) of one family to log2 of IPv4-equivalent addresses. */
export function equivalentLog2(family: IpFamily, log2Count: number): number {
  if (family === 4 || log2Count === -Infinity) return log2Count;
  // Inside one /64: 2^64 addresses ~ 256 hosts of a LAN. Beyond: /64 networks up to the whole space ~ 2^32.
  return log2Count <= 64 ? log2Count / 8 : 8 + ((log2Count - 64) * 24) / 64;
}

function log2Sum(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const high = Math.max(a, b);
  return high + Math.log2(1 + 2 ** (Math.min(a, b) - high));
}

/** Metrics of one range, without building sets: its public count comes from the address classes. */
export function measureRange(family: IpFamily, addresses: bigint, publicAddresses: bigint): ScopeMetrics {
  return { addresses, publicAddresses, equivalentLog2: equivalentLog2(family, log2BigInt(addresses)) };
}

const FAMILIES: readonly IpFamily[] = [4, 6];

export function measureScope(scope: Record<IpFamily, IntervalSet>): ScopeMetrics {
  let addresses = 0n;
  let publicAddresses = 0n;
  let equivalent = -Infinity;
  // Indexed: until V8 optimises a function, for…of makes an object per element, and the analysis runs once.
  for (let index = 0; index < FAMILIES.length; index++) {
    const family = FAMILIES[index] as IpFamily;
    const set = scope[family];
    const count = set.size();
    addresses += count;
    if (count > 0n) publicAddresses += set.intersectionSize(addressClassSet(family, 'public'));
    equivalent = log2Sum(equivalent, equivalentLog2(family, log2BigInt(count)));
  }
  return { addresses, publicAddresses, equivalentLog2: equivalent };
}

function clampRound(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.round(value)));
}

/**
 * Exposure of unauthenticated relay (anonymous or externally secured) over a scope that really reaches the
 * connector. `hostsOnly`: every configured entry is a single address.
 */
export function relayExposureScore(metrics: ScopeMetrics, hostsOnly: boolean): number {
  if (metrics.addresses === 0n) return 0;
  const e = Math.max(0, metrics.equivalentLog2);
  if (metrics.publicAddresses > 0n) return clampRound(BAND_FLOOR.critical + (15 * e) / 32, 85, 100);
  if (hostsOnly && metrics.addresses <= BigInt(FEW_HOSTS))
    return clampRound(BAND_FLOOR.low + (14 * (Number(metrics.addresses) - 1)) / (FEW_HOSTS - 1), 20, 34);
  if (e <= 8) return clampRound(BAND_FLOOR.medium + (19 * e) / 8, 40, 59);
  return clampRound(BAND_FLOOR.high + (e - 8), 60, 84);
}

/**
 * A grant that receives no mail today (disabled or fully shadowed connector, or no Submit right): low, and
 * never above a live grant, so that a connector coming back to life can only raise its score.
 */
export const LATENT_SCORE = BAND_FLOOR.low;

/**
 * The exposure of a connector none of whose scope can be read (every RemoteIPRanges entry or binding does not
 * parse, or the export lost it): what it receives is unknown and may be the Internet, so a relay grant there is
 * at least high, as unparseable-range reports it, never a grant that receives nothing.
 */
export const UNREADABLE_SCOPE_SCORE = BAND_FLOOR.high;

/** Unauthenticated relay on a default connector is never below high: it belongs on a dedicated connector. */
export function defaultConnectorFloor(score: number): number {
  return Math.max(score, BAND_FLOOR.high);
}

/** Everyone holding Accept-Any-Recipient: every authenticated account, and possibly anonymous sessions. */
export function everyoneScore(exposure: number): number {
  return clampRound(exposure, BAND_FLOOR.high, BAND_FLOOR.critical - 1);
}

export const FIXED_SCORES = {
  /** ACL unknown on an enabled connector: cannot be proven safe. */
  unknownVerdict: 40,
  unknownVerdictDisabled: 20,
  /** Authenticated relay where passwords may cross the Internet in clear text. */
  basicAuthWithoutTls: 45,
  /** Anonymous submission for accepted domains: how Internet mail arrives; not relay. */
  anonymousSubmit: 5,
} as const;
