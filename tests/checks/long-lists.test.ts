/**
 * A connector can hold hundreds of thousands of RemoteIPRanges entries: a message quotes a few and says how many
 * more there are, while the finding's data keeps every one (issue 12: a 448 KB message listed 25,000 ranges).
 */

import { describe, expect, it } from '@jest/globals';
import { listEntries } from '../../src/checks/describe.js';
import { connector } from '../support/builders.js';
import { findingsFor } from '../support/evaluate.js';

describe('long lists in messages', () => {
  it('quotes at most eight entries and counts the rest', () => {
    expect(listEntries(['a', 'b'])).toBe('a, b');
    const many = Array.from({ length: 25_000 }, (_, index) => `fd00:${index.toString(16)}::/64`);
    expect(listEntries(many)).toBe(`${many.slice(0, 8).join(', ')} and 24,992 more`);
  });

  it('keeps an unused-range-family message short and every entry in its data', () => {
    const ipv6 = Array.from({ length: 25_000 }, (_, index) => `fd00:${index.toString(16)}::/64`);
    const [finding] = findingsFor('unused-range-family', [
      connector({ name: 'R', remoteIPRanges: ['10.0.0.0/8', ...ipv6] }),
    ]);
    expect(finding?.message.length).toBeLessThan(600);
    expect(finding?.message).toContain('and 24,992 more');
    expect(finding?.data).toEqual({ entries: ipv6, families: ['IPv6'] });
  });
});
