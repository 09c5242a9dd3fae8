/** How a connector's relay scope is described in messages, and which of its entries are too wide. */

import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { RangeAnalysis } from '../analysis/connector-scope.js';
import { measureScope } from '../analysis/scoring.js';
import { IntervalSet } from '../net/interval-set.js';
import { familyCoverage } from '../net/family-coverage.js';
import type { IpFamily } from '../net/ip-address.js';
import { formatCount, listScope, plural, singleFamily } from './describe.js';

/**
 * "65,536 addresses (10.20.0.0/16)", "128 addresses (94.130.88.0/25, all public)", "the whole IPv6 address
 * space", "all IPv4 addresses except 66,199 (10.10.20.31-10.10.20.32, …)". A family is described by what it
 * lacks when it holds more than half of its space: the exceptions are what an admin needs to see.
 */
export function describeScope(scope: Record<IpFamily, IntervalSet>, publicAddresses: bigint): string {
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
      `all IPv${family} addresses except ${formatCount(missing.size())} (${listScope(singleFamily(family, missing))})`,
    );
  }
  const count = listed[4].size() + listed[6].size();
  if (count > 0n) {
    const note = publicNote(publicAddresses, count, parts.length > 0);
    parts.push(`${plural(count, 'address', 'addresses')} (${listScope(listed)}${note})`);
  }
  return parts.length > 0 ? parts.join(' and ') : 'no addresses';
}

/** Public addresses are worth saying only among listed ranges; whole families are public by nature. */
function publicNote(publicAddresses: bigint, count: bigint, othersDescribed: boolean): string {
  if (publicAddresses === 0n || othersDescribed) return '';
  return publicAddresses >= count ? ', all public' : `; ${formatCount(publicAddresses)} of them public`;
}

/** Several checks describe the same connector's scope; describe it once. */
const effectiveDescriptions = new WeakMap<ConnectorAnalysis, string>();

export function describeEffectiveScope(analysis: ConnectorAnalysis): string {
  let text = effectiveDescriptions.get(analysis);
  if (text === undefined) {
    text = describeScope(analysis.effective, analysis.effectiveMetrics.publicAddresses);
    effectiveDescriptions.set(analysis, text);
  }
  return text;
}

export function describeConfiguredScope(analysis: ConnectorAnalysis): string {
  return describeScope(analysis.scope.configured, measureScope(analysis.scope.configured).publicAddresses);
}

/** Entries that make an unauthenticated relay scope too wide: anything but a private single host. */
export function tooWideEntries(analysis: ConnectorAnalysis): RangeAnalysis[] {
  return usableEntries(analysis).filter((range) => range.scope !== 'host' || range.publicAddresses > 0n);
}

export function usableEntries(analysis: ConnectorAnalysis): RangeAnalysis[] {
  return analysis.scope.ranges.filter((range) => range.error === null && !range.unused);
}
