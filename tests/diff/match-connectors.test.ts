/**
 * Which connector is which across two organisations: GUID, then DN, then identity; two different GUIDs never
 * match. Also when a hostile file gives thousands of connectors one DN or one GUID.
 */

import { describe, expect, it } from '@jest/globals';
import { matchConnectors } from '../../src/diff/match-connectors.js';
import type { ReceiveConnector } from '../../src/model/snapshot.js';
import { connector } from '../support/builders.js';

const DN = 'CN=Relay,CN=SMTP Receive Connectors,CN=Protocols,CN=EX01';

describe('matchConnectors', () => {
  it('by DN takes the first free connector that is not another AD object', () => {
    const before = [
      connector({ name: 'A', guid: 'g1', distinguishedName: DN }),
      connector({ name: 'B', guid: null, distinguishedName: DN }),
      connector({ name: 'C', guid: 'g3', distinguishedName: DN }),
    ];
    const after = [
      connector({ name: 'X', guid: 'g9', distinguishedName: DN }),
      connector({ name: 'Y', guid: 'G3', distinguishedName: DN }),
      connector({ name: 'Z', guid: null, distinguishedName: DN }),
      connector({ name: 'W', guid: 'g1', distinguishedName: DN }),
    ];
    expect(matchConnectors(before, after)).toEqual([
      { before: 1, after: 0, matchedBy: 'dn' },
      { before: 2, after: 1, matchedBy: 'guid' },
      { before: null, after: 2, matchedBy: null },
      { before: 0, after: 3, matchedBy: 'guid' },
    ]);
    // Without the GUID matches, B (no GUID) may be any of them, A only Z, C only Z or Y.
    const noSameGuid = after.map((entry) => ({
      ...entry,
      guid: entry.guid === null ? null : `${entry.guid}x`,
    }));
    expect(matchConnectors(before, noSameGuid)).toEqual([
      { before: 1, after: 0, matchedBy: 'dn' },
      { before: null, after: 1, matchedBy: null },
      { before: 0, after: 2, matchedBy: 'dn' },
      { before: null, after: 3, matchedBy: null },
      { before: 2, after: null, matchedBy: null },
    ]);
  });

  it('4,000 connectors sharing one DN are matched reading each GUID a few times, not once per pair', () => {
    let reads = 0;
    const counted = (side: string, index: number): ReceiveConnector => {
      const entry = connector({ name: `C${index}`, distinguishedName: DN });
      Object.defineProperty(entry, 'guid', {
        enumerable: true,
        get: () => {
          reads++;
          return `${side}-${index}`;
        },
      });
      return entry;
    };
    const count = 4_000;
    const before = Array.from({ length: count }, (_, index) => counted('a', index));
    const after = Array.from({ length: count }, (_, index) => counted('b', index));
    const pairs = matchConnectors(before, after);
    // Different GUIDs: never the same object, whatever the DN; matched by nothing, each listed once per side.
    expect(pairs.filter((pair) => pair.matchedBy !== null)).toEqual([]);
    expect(pairs).toHaveLength(2 * count);
    // Scanning every candidate for every connector read GUIDs ~16,000,000 times.
    expect(reads).toBeLessThan(40 * count);
  });
});
