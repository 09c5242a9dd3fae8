/**
 * Which connector of one organisation is which of another: by AD object GUID first, then DN, then by a rename
 * the caller knows of (a what-if run), then by identity. A connector matched by GUID whose identity changed was
 * renamed, not removed and added.
 */

import type { ReceiveConnector } from '../model/snapshot.js';

export interface ConnectorPair {
  /** Index in the first organisation's connectors, or null when the connector was added. */
  before: number | null;
  /** Index in the second organisation's connectors, or null when it was removed. */
  after: number | null;
  /** How the two were matched. */
  matchedBy: 'guid' | 'dn' | 'rename' | 'identity' | null;
}

export function matchConnectors(
  before: readonly ReceiveConnector[],
  after: readonly ReceiveConnector[],
  renames: ReadonlyArray<readonly [string, string]> = [],
): ConnectorPair[] {
  const pairs: ConnectorPair[] = [];
  const freeBefore = new Set(before.keys());
  const freeAfter = new Set(after.keys());
  const pass = (
    matchedBy: ConnectorPair['matchedBy'],
    keyOf: (connector: ReceiveConnector, side: 'before' | 'after') => string | null,
  ) => {
    const index = new Map<string, number[]>();
    for (const position of freeAfter) {
      const key = keyOf(after[position] as ReceiveConnector, 'after');
      if (key === null) continue;
      const list = index.get(key);
      if (list) list.push(position);
      else index.set(key, [position]);
    }
    for (const position of [...freeBefore]) {
      const key = keyOf(before[position] as ReceiveConnector, 'before');
      const candidates = key === null ? undefined : index.get(key);
      const match = candidates?.find(
        (candidate) => freeAfter.has(candidate) && !differentObjects(before[position], after[candidate]),
      );
      if (match === undefined) continue;
      pairs.push({ before: position, after: match, matchedBy });
      freeBefore.delete(position);
      freeAfter.delete(match);
    }
  };
  pass('guid', (connector) => (connector.guid ? connector.guid.toLowerCase() : null));
  pass('dn', (connector) => (connector.distinguishedName ? connector.distinguishedName.toLowerCase() : null));
  if (renames.length > 0) {
    const renamedTo = new Map(renames.map(([from, to]) => [from.toLowerCase(), to.toLowerCase()]));
    pass('rename', (connector, side) =>
      side === 'before'
        ? (renamedTo.get(connector.identity.toLowerCase()) ?? null)
        : connector.identity.toLowerCase(),
    );
  }
  pass('identity', (connector) => connector.identity.toLowerCase());
  for (const position of freeBefore) pairs.push({ before: position, after: null, matchedBy: null });
  for (const position of freeAfter) pairs.push({ before: null, after: position, matchedBy: null });
  return pairs.sort(
    (a, b) =>
      (a.after ?? Infinity) - (b.after ?? Infinity) || (a.before ?? Infinity) - (b.before ?? Infinity),
  );
}

/** Two AD objects with different GUIDs are different connectors, whatever their names. */
function differentObjects(a: ReceiveConnector | undefined, b: ReceiveConnector | undefined): boolean {
  return Boolean(a?.guid && b?.guid && a.guid.toLowerCase() !== b.guid.toLowerCase());
}
