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
    const index = new Map<string, Candidates>();
    for (const position of freeAfter) {
      const key = keyOf(after[position] as ReceiveConnector, 'after');
      if (key === null) continue;
      let candidates = index.get(key);
      if (!candidates) index.set(key, (candidates = new Candidates()));
      candidates.add(position, guidOf(after[position]));
    }
    for (const position of [...freeBefore]) {
      const key = keyOf(before[position] as ReceiveConnector, 'before');
      const match = key === null ? undefined : index.get(key)?.take(guidOf(before[position]), freeAfter);
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

function guidOf(connector: ReceiveConnector | undefined): string | null {
  return connector?.guid ? connector.guid.toLowerCase() : null;
}

/** A queue of positions, in the order added, that skips the ones matched meanwhile. */
class Queue {
  readonly positions: number[] = [];
  private next = 0;

  /** The first position still free, or undefined. */
  first(free: ReadonlySet<number>): number | undefined {
    while (this.next < this.positions.length && !free.has(this.positions[this.next] as number)) this.next++;
    return this.positions[this.next];
  }
}

/**
 * The connectors of the second organisation that share one key, in order. Two AD objects with different GUIDs are
 * different connectors, whatever their names: a connector with a GUID may take the first free one without a GUID
 * or with its own GUID. Queues per GUID keep this linear when a hostile file gives thousands of connectors one DN
 * or one GUID (scanning the whole list for each took 16 s for 20,000).
 */
class Candidates {
  private readonly all = new Queue();
  private readonly withoutGuid = new Queue();
  private readonly byGuid = new Map<string, Queue>();
  /** Each position's place in `all`, to tell which of two queues' heads came first. */
  private readonly order = new Map<number, number>();

  add(position: number, guid: string | null): void {
    this.order.set(position, this.all.positions.length);
    this.all.positions.push(position);
    if (guid === null) this.withoutGuid.positions.push(position);
    else {
      let queue = this.byGuid.get(guid);
      if (!queue) this.byGuid.set(guid, (queue = new Queue()));
      queue.positions.push(position);
    }
  }

  /** The first free candidate the connector with `guid` may be. */
  take(guid: string | null, free: ReadonlySet<number>): number | undefined {
    if (guid === null) return this.all.first(free);
    const plain = this.withoutGuid.first(free);
    const same = this.byGuid.get(guid)?.first(free);
    if (plain === undefined) return same;
    if (same === undefined) return plain;
    return (this.order.get(plain) as number) < (this.order.get(same) as number) ? plain : same;
  }
}
