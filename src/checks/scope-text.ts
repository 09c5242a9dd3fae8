/** How a connector's relay scope is described in messages, and which of its entries are too wide. */

import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { RangeAnalysis } from '../analysis/connector-scope.js';
import { measureScope } from '../analysis/scoring.js';
import type { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { familyMax } from '../net/ip-address.js';
import { formatCount, listScope, plural } from './describe.js';

function isWhole(scope: Record<IpFamily, IntervalSet>, family: IpFamily): boolean {
  const intervals = scope[family].intervals();
  return intervals.length === 1 && intervals[0]?.[0] === 0n && intervals[0]?.[1] === familyMax(family);
}

/** "65,536 addresses (10.20.0.0/16), all private" or "the whole IPv4 Internet (…)". */
export function describeScope(scope: Record<IpFamily, IntervalSet>, publicAddresses: bigint): string {
  const whole = ([4, 6] as const).filter((family) => isWhole(scope, family)).map((family) => `IPv${family}`);
  if (whole.length > 0) return `the whole ${whole.join(' and ')} address space`;
  const total = scope[4].size() + scope[6].size();
  const where = `${plural(total, 'address', 'addresses')} (${listScope(scope)})`;
  if (publicAddresses === 0n) return `${where}, none of them public`;
  if (publicAddresses === total) return `${where}, all public`;
  return `${where}, ${formatCount(publicAddresses)} of them public`;
}

export function describeEffectiveScope(analysis: ConnectorAnalysis): string {
  return describeScope(analysis.effective, analysis.effectiveMetrics.publicAddresses);
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
