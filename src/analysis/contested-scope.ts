/**
 * Addresses a connector may receive that precedence gives to another connector only on the word of one copy of
 * it. A connector read twice with different settings (ingest/merge-copies.ts) is analysed with the bindings,
 * ranges and enabled state of either copy: the worst case for itself, but it then takes addresses away from its
 * neighbours with a range, binding or enabled state that the current copy may not have, and an open relay next
 * to it read as shadowed (latent, low). Which copy is current is unknown, so each connector is also judged in the
 * world that is worst for it: its own copies as read, every other disputed connector with only what its copies
 * agree on (another connector's entry can only take addresses away, never give any).
 */

import type { ReceiveConnector } from '../model/snapshot.js';
import { familySets } from '../net/family-sets.js';
import type { IntervalSet } from '../net/interval-set.js';
import type { IpFamily } from '../net/ip-address.js';
import { analyzeConnectorScope, type ConnectorScope } from './connector-scope.js';
import { buildListeners } from './listeners.js';
import { resolvePrecedence } from './precedence.js';
import type { ScopeTexts } from './scope-texts.js';

/**
 * Per connector, the addresses it receives in the world worst for it and not in `effective` (the analysis of the
 * copies as read). Empty when no connector was read twice with different settings.
 */
export function contestedReach(
  connectors: readonly ReceiveConnector[],
  scopes: readonly ConnectorScope[],
  effective: ReadonlyMap<number, Record<IpFamily, IntervalSet>>,
  texts: ScopeTexts,
): Map<number, Record<IpFamily, IntervalSet>> {
  const gains = new Map<number, Record<IpFamily, IntervalSet>>();
  const disputed = connectors.flatMap((connector, index) => (connector.agreed ? [index] : []));
  if (disputed.length === 0) return gains;

  // Precedence is per server: only the servers of disputed connectors are judged again.
  const byServer = new Map<string, number[]>();
  connectors.forEach((connector, index) => {
    const key = connector.server.toLowerCase();
    const members = byServer.get(key);
    if (members) members.push(index);
    else byServer.set(key, [index]);
  });
  const agreedScopes = new Map<number, { connector: ReceiveConnector; scope: ConnectorScope }>();
  for (const index of disputed) {
    const connector = connectors[index] as ReceiveConnector;
    const agreedConnector = { ...connector, ...connector.agreed };
    agreedScopes.set(index, {
      connector: agreedConnector,
      scope: analyzeConnectorScope(agreedConnector, texts),
    });
  }
  const asRead = (index: number) => ({
    connector: connectors[index] as ReceiveConnector,
    scope: scopes[index] as ConnectorScope,
  });
  const agreedOnly = (index: number) => agreedScopes.get(index) ?? asRead(index);

  const gain = (index: number, world: ReadonlyMap<number, Record<IpFamily, IntervalSet>>) => {
    const worst = world.get(index);
    if (worst === undefined) return;
    const current = effective.get(index);
    const four = current ? worst[4].difference(current[4]) : worst[4];
    const six = current ? worst[6].difference(current[6]) : worst[6];
    if (!four.isEmpty() || !six.isEmpty()) gains.set(index, familySets(four, six));
  };

  const servers = new Set(
    disputed.map((index) => (connectors[index] as ReceiveConnector).server.toLowerCase()),
  );
  for (const server of servers) {
    const members = byServer.get(server) ?? [];
    // Every connector not in dispute: worst when every disputed one holds only what its copies agree on.
    const agreedWorld = resolvePrecedence(buildListeners(agreedOnly, members)).effective;
    for (const index of members) if (!agreedScopes.has(index)) gain(index, agreedWorld);
    // Each disputed one: worst with its own copies as read and the others' agreed settings.
    for (const index of members) {
      if (!agreedScopes.has(index)) continue;
      const world = resolvePrecedence(
        buildListeners((other) => (other === index ? asRead(other) : agreedOnly(other)), members),
      ).effective;
      gain(index, world);
    }
  }
  return gains;
}
