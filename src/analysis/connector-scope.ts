/**
 * A connector's bindings and RemoteIPRanges, parsed and measured: what each entry covers, and the configured
 * scope Exchange actually uses (ranges of a family the connector has no binding for are ignored, §3.1).
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import type { Binding } from '../net/binding.js';
import type { Bound } from '../net/bound.js';
import { familySets } from '../net/family-sets.js';
import { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { ScopeTexts } from './scope-texts.js';
import { RangeTable } from './range-table.js';

export interface ConnectorScope {
  bindings: Binding[];
  invalidBindings: string[];
  ranges: RangeTable;
  /** Union of the usable entries, per family. */
  configured: Record<IpFamily, IntervalSet>;
  /** Every usable entry is a single address (the recommended relay setup). */
  hostsOnly: boolean;
}

/** `texts` remembers texts across the connectors of one analysis (scope-texts.ts). */
export function analyzeConnectorScope(
  connector: ReceiveConnector,
  texts: ScopeTexts = new ScopeTexts(),
): ConnectorScope {
  // Sized by map, not grown by push (which leaves room for 17): every connector keeps its list to the end.
  const parsed = connector.bindings.map((text) => texts.binding(text));
  const bindings = parsed.includes(null)
    ? parsed.filter((binding) => binding !== null)
    : (parsed as Binding[]);
  const invalidBindings = connector.bindings.filter((_, index) => parsed[index] === null);
  const bound4 = bindings.some((binding) => binding.family === 4);
  const bound6 = bindings.some((binding) => binding.family === 6);

  const rangeTexts = connector.remoteIPRanges;
  const ranges = new RangeTable(rangeTexts);
  // Bounds of the usable entries, flat per family: numbers for IPv4, BigInts for IPv6.
  const usable: Record<IpFamily, Bound[]> = { 4: [], 6: [] };
  let hostsOnly = true;
  for (let index = 0; index < rangeTexts.length; index++) {
    const measure = texts.range(rangeTexts[index] as string);
    if (!measure.ok) {
      ranges.unparsed(index, measure.reason);
      continue;
    }
    const unused = !(measure.family === 4 ? bound4 : bound6);
    if (!unused) {
      usable[measure.family].push(measure.low, measure.high);
      if (measure.addresses !== 1n) hostsOnly = false;
    }
    ranges.measured(index, measure, unused, texts.isShared(measure));
  }
  return {
    bindings,
    invalidBindings,
    ranges,
    configured: familySets(IntervalSet.ofBounds(usable[4]), IntervalSet.ofBounds(usable[6])),
    hostsOnly,
  };
}
