import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { readInput } from '../../src/ingest/read-input.js';
import type { AccessControlEntry } from '../../src/model/snapshot.js';

/** The ACEs of an export file, as the reader hands them on. */
function acesOf(file: string): AccessControlEntry[] {
  const input = readInput(file, readFileSync(file));
  if (input.format === 'snapshot') throw new Error(`${file} is a snapshot`);
  return input.records.flatMap((record) => (record.kind === 'ace' ? [record.value] : []));
}

// The analysis decides a repeated ACL once, recognising it by the identity of its entries (analysis/acl-facts.ts):
// entries equal in every field must be one object, in exports as in snapshots.
describe.each([
  ['Export-Clixml', 'fixtures/orgs/sample/ADPermission.xml'],
  ['ConvertTo-Json', 'fixtures/orgs/northwind-ipv6/ADPermission.json'],
])('ACEs read from %s', (_format, file) => {
  const aces = acesOf(file);

  it('are one frozen object per distinct entry', () => {
    const byContent = new Map<string, AccessControlEntry>();
    let repeats = 0;
    for (const ace of aces) {
      const key = JSON.stringify(ace);
      const first = byContent.get(key);
      if (first === undefined) byContent.set(key, ace);
      else {
        repeats++;
        expect(ace).toBe(first);
      }
    }
    // The fixture must repeat entries across connectors, or the test proves nothing.
    expect(repeats).toBeGreaterThan(0);
    for (const ace of byContent.values()) expect(Object.isFrozen(ace)).toBe(true);
  });
});
