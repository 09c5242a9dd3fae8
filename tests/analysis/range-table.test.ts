import { describe, expect, it } from '@jest/globals';
import { RangeTable } from '../../src/analysis/range-table.js';
import { ScopeTexts } from '../../src/analysis/scope-texts.js';

const TEXTS = [
  '10.0.0.0/24',
  'fd00::/64',
  'not a range',
  '192.168.1.7',
  '0.0.0.0-255.255.255.255',
  '2001:db8::1-2001:db8::ff',
  '172.16.0.0(255.255.0.0)',
  '::/0',
];

/** A table of TEXTS; entries before `byValueFrom` are offered by reference, later ones by value. */
function table(byValueFrom: number): RangeTable {
  const texts = new ScopeTexts();
  const ranges = new RangeTable(TEXTS);
  TEXTS.forEach((text, index) => {
    const measure = texts.range(text);
    if (!measure.ok) ranges.unparsed(index, measure.reason);
    // IPv6 entries are unused, as on a connector bound to IPv4 only.
    else ranges.measured(index, measure, measure.family === 6, index < byValueFrom);
  });
  return ranges;
}

function everything(ranges: RangeTable): unknown[] {
  return ranges.slice().map((entry, index) => ({
    entry,
    parsed: ranges.parsed(index),
    unused: ranges.unused(index),
    family: ranges.family(index),
    ...(ranges.parsed(index)
      ? {
          first: ranges.first(index),
          last: ranges.last(index),
          host: ranges.isHost(index),
          public: ranges.holdsPublic(index),
        }
      : {}),
  }));
}

describe('RangeTable', () => {
  it('reads the same entries whether it keeps shared measures by reference, by value or first one then the other', () => {
    const byValue = everything(table(0));
    expect(everything(table(TEXTS.length))).toEqual(byValue);
    for (let switchAt = 1; switchAt < TEXTS.length; switchAt++)
      expect(everything(table(switchAt))).toEqual(byValue);
    // The comparison covers parsed and unparsed, used and unused, IPv4 numbers and IPv6 BigInts.
    expect(byValue).toContainEqual(expect.objectContaining({ parsed: false }));
    expect(byValue).toContainEqual(expect.objectContaining({ unused: true, family: 6, first: 0n }));
    expect(byValue).toContainEqual(expect.objectContaining({ unused: false, first: 0xc0a80107, host: true }));
  });
});
