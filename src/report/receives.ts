/** A short summary of the addresses a connector receives, for the "Receives" column of tables. */

import { familyCoverage } from '../net/family-coverage.js';
import type { IntervalSet } from '../net/interval-set.js';
import { familyMax, type IpFamily } from '../net/ip-address.js';
import { formatRange } from '../net/ip-range.js';
import { formatRanges } from '../net/range-texts.js';

/**
 * "0.0.0.0/0, ::/0", "IPv4 except 11 ranges, ::/0", "10.10.20.31, 10.10.20.45", or "nothing". `texts` are the
 * scope's range texts, IPv4 first, as scopeRangeTexts gives them: a caller that writes them anyway passes them, and
 * the ranges listed here are not formatted a second time (the report's connectors: ~10 ms of 10,000).
 */
export function summarizeReceives(
  scope: Record<IpFamily, IntervalSet>,
  texts: readonly string[] | null = null,
  limit = 3,
): string {
  const parts: string[] = [];
  let listed = 0;
  for (const family of [4, 6] as const) {
    const coverage = familyCoverage(family, scope[family]);
    if (coverage.kind === 'whole') {
      parts.push(formatRange({ family, first: 0n, last: familyMax(family) }));
    } else if (coverage.kind === 'most') {
      const count = coverage.missing.count();
      parts.push(`IPv${family} except ${count} range${count === 1 ? '' : 's'}`);
    } else if (coverage.kind === 'part') {
      const count = scope[family].count();
      if (texts !== null) {
        const start = family === 4 ? 0 : scope[4].count();
        parts.push(...texts.slice(start, start + Math.min(count, Math.max(0, limit - listed))));
      } else {
        parts.push(...formatRanges(family, scope[family], limit - listed));
      }
      listed += count;
    }
  }
  if (listed > limit) parts.push('…');
  return parts.length > 0 ? parts.join(', ') : 'nothing';
}
