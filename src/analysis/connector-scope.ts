/**
 * A connector's bindings and RemoteIPRanges, parsed and measured: what each entry covers, and the configured
 * scope Exchange actually uses (ranges of a family the connector has no binding for are ignored, §3.1).
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import { parseBinding, type Binding } from '../net/binding.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { parseRemoteIpRange, rangeSize, isWholeFamily } from '../net/ip-range.js';
import { publicCount } from '../net/address-classes.js';
import { measureRange, relayExposureScore } from './scoring.js';
import { RangeTable, sharedCount, type ScopeClass } from './range-table.js';

export interface ConnectorScope {
  bindings: Binding[];
  invalidBindings: string[];
  ranges: RangeTable;
  /** Union of the usable entries, per family. */
  configured: Record<IpFamily, IntervalSet>;
  /** Every usable entry is a single address (the recommended relay setup). */
  hostsOnly: boolean;
}

/** Scope classes describe raw sizes; scores use IPv4-equivalent sizes (scoring.ts). */
function scopeClass(count: bigint, whole: boolean): ScopeClass {
  if (whole) return 'internet';
  if (count === 1n) return 'host';
  return count <= 256n ? 'range' : 'network';
}

export function analyzeConnectorScope(connector: ReceiveConnector): ConnectorScope {
  const bindings: Binding[] = [];
  const invalidBindings: string[] = [];
  for (const text of connector.bindings) {
    const binding = parseBinding(text);
    if (binding) bindings.push(binding);
    else invalidBindings.push(text);
  }
  const boundFamilies = new Set(bindings.map((binding) => binding.family));

  const ranges = new RangeTable(connector.remoteIPRanges);
  // Bounds of the usable entries, flat per family.
  const usable: Record<IpFamily, bigint[]> = { 4: [], 6: [] };
  let hostsOnly = true;
  connector.remoteIPRanges.forEach((text, index) => {
    const parsed = parseRemoteIpRange(text);
    if (!parsed.ok) {
      ranges.unparsed(index, parsed.reason);
      return;
    }
    const { range, format } = parsed;
    const addresses = sharedCount(rangeSize(range));
    const unused = !boundFamilies.has(range.family);
    if (!unused) {
      usable[range.family].push(range.first, range.last);
      if (addresses !== 1n) hostsOnly = false;
    }
    const publicAddresses = publicCount(range);
    const score = relayExposureScore(
      measureRange(range.family, addresses, publicAddresses),
      addresses === 1n,
    );
    ranges.measured(index, {
      format,
      family: range.family,
      first: range.first,
      last: range.last,
      addresses,
      scope: scopeClass(addresses, isWholeFamily(range)),
      publicAddresses,
      score,
      unused,
    });
  });
  return {
    bindings,
    invalidBindings,
    ranges,
    configured: { 4: IntervalSet.ofBounds(usable[4]), 6: IntervalSet.ofBounds(usable[6]) },
    hostsOnly,
  };
}
