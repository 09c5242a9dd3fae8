/** How a connector's relay scope is described in messages, and which of its entries are too wide. */

import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { RangeAnalysis, RangeTable } from '../analysis/range-table.js';
import { measureScope, type ScopeMetrics } from '../analysis/scoring.js';
import { IntervalSet } from '../net/interval-set.js';
import { familyCoverage } from '../net/family-coverage.js';
import type { IpFamily } from '../net/ip-address.js';
import { formatCount, listScope, listTexts, plural, singleFamily } from './describe.js';
import { flat } from './flat.js';

/**
 * "65,536 addresses (10.20.0.0/16)", "128 addresses (94.130.88.0/25, all public)", "the whole IPv6 address
 * space", "all IPv4 addresses except 66,199 (10.10.20.31-10.10.20.32, …)". A family is described by what it
 * lacks when it holds more than half of its space: the exceptions are what an admin needs to see.
 */
export function describeScope(
  scope: Record<IpFamily, IntervalSet>,
  publicAddresses: bigint,
  texts?: readonly string[],
): string {
  const coverage = { 4: familyCoverage(4, scope[4]), 6: familyCoverage(6, scope[6]) };
  const parts: string[] = [];
  const whole = ([4, 6] as const).filter((family) => coverage[family].kind === 'whole');
  if (whole.length > 0)
    parts.push(`the whole ${whole.map((family) => `IPv${family}`).join(' and ')} address space`);
  const listed: Record<IpFamily, IntervalSet> = { 4: IntervalSet.EMPTY, 6: IntervalSet.EMPTY };
  for (const family of [4, 6] as const) {
    const familyScope = coverage[family];
    if (familyScope.kind === 'part') listed[family] = scope[family];
    if (familyScope.kind !== 'most') continue;
    const { missing } = familyScope;
    parts.push(
      flat`all IPv${family} addresses except ${formatCount(missing.size())} (${listScope(singleFamily(family, missing))})`,
    );
  }
  const count = listed[4].size() + listed[6].size();
  if (count > 0n) {
    const note = publicNote(publicAddresses, count, parts.length > 0);
    parts.push(flat`${plural(count, 'address', 'addresses')} (${listRanges(scope, listed, texts)}${note})`);
  }
  return parts.length > 0 ? parts.join(' and ') : 'no addresses';
}

/** The listed ranges, quoted from the scope's range texts when given and nothing of the scope is left out. */
function listRanges(
  scope: Record<IpFamily, IntervalSet>,
  listed: Record<IpFamily, IntervalSet>,
  texts: readonly string[] | undefined,
): string {
  const whole = (family: IpFamily) => listed[family] === scope[family] || scope[family].isEmpty();
  return texts !== undefined && whole(4) && whole(6) ? listTexts(texts) : listScope(listed);
}

/** Public addresses are worth saying only among listed ranges; whole families are public by nature. */
function publicNote(publicAddresses: bigint, count: bigint, othersDescribed: boolean): string {
  if (publicAddresses === 0n || othersDescribed) return '';
  return publicAddresses >= count ? ', all public' : `; ${formatCount(publicAddresses)} of them public`;
}

/** Several checks describe the same connector's scope; describe it once. */
const receivedDescriptions = new WeakMap<ConnectorAnalysis, string>();

/**
 * What the connector receives, or can receive without a configuration change: an exact tie lost only to Active
 * Directory order can go live at any time, so it counts. `texts` are its ranges when the caller has them made
 * (scopeRanges of `reachable`): the first few are then not formatted again.
 */
export function describeReceivedScope(analysis: ConnectorAnalysis, texts?: readonly string[]): string {
  let text = receivedDescriptions.get(analysis);
  if (text === undefined) {
    text = describeScope(analysis.reachable, analysis.reachableMetrics.publicAddresses, texts);
    receivedDescriptions.set(analysis, text);
  }
  return text;
}

/**
 * The scope a latent grant would open: its configured scope, or its entries nobody listens for. `texts` are the
 * configured scope's ranges when the caller has them made (scopeRanges).
 */
export function describeLatentScope(analysis: ConnectorAnalysis, texts?: readonly string[]): string {
  if (analysis.latent !== 'no-usable-range') return describeConfiguredScope(analysis, texts);
  const entries = analysis.scope.ranges.textsWhere((index, ranges) => ranges.parsed(index));
  return entries.length > 0 ? `its entries ${entries.join(', ')}` : 'the addresses it is given';
}

export function describeConfiguredScope(analysis: ConnectorAnalysis, texts?: readonly string[]): string {
  return describeScope(analysis.scope.configured, configuredMetrics(analysis).publicAddresses, texts);
}

/** Measures of the configured scope; a latent grant's finding needs them for its data and its message. */
const configuredMeasures = new WeakMap<ConnectorAnalysis, ScopeMetrics>();

export function configuredMetrics(analysis: ConnectorAnalysis): ScopeMetrics {
  let metrics = configuredMeasures.get(analysis);
  if (metrics === undefined) {
    metrics = measureScope(analysis.scope.configured);
    configuredMeasures.set(analysis, metrics);
  }
  return metrics;
}

/** Texts of the entries that make an unauthenticated relay scope too wide: anything but a private single host. */
export function tooWideTexts(analysis: ConnectorAnalysis): string[] {
  return tooWideEntries(analysis).wide;
}

/** The too wide entries' texts and how many entries Exchange matches in all, read in one pass. */
export function tooWideEntries(analysis: ConnectorAnalysis): { wide: string[]; usable: number } {
  let usable = 0;
  const wide = analysis.scope.ranges.textsWhere((index, ranges) => {
    if (!isUsable(index, ranges)) return false;
    usable++;
    return !ranges.isHost(index) || ranges.holdsPublic(index);
  });
  return { wide, usable };
}

/** Texts of the entries Exchange matches. */
export function usableTexts(analysis: ConnectorAnalysis): string[] {
  return analysis.scope.ranges.textsWhere(isUsable);
}

/** The entries Exchange matches, as objects (each made now: prefer usableTexts where texts will do). */
export function usableEntries(analysis: ConnectorAnalysis): RangeAnalysis[] {
  return analysis.scope.ranges.where(isUsable);
}

/**
 * Texts of the entries Exchange matches whose first address the connector receives (or can receive unchanged),
 * one per address, the first entry listed winning: its single hosts, when it holds nothing else. Read from the
 * table's columns: no entry object is made.
 */
export function receivedHostTexts(analysis: ConnectorAnalysis): string[] {
  const seen = new Set<string>();
  return analysis.scope.ranges.textsWhere((index, ranges) => {
    if (!isUsable(index, ranges)) return false;
    const family = ranges.family(index) as IpFamily;
    const first = ranges.first(index);
    if (!analysis.reachable[family].contains(BigInt(first))) return false;
    const key = `${family}:${first}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isUsable(index: number, ranges: RangeTable): boolean {
  return ranges.parsed(index) && !ranges.unused(index);
}
