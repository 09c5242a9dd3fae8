/**
 * The listeners of exchange-domain.md §3.1: per server, transport role, port and address family, every
 * RemoteIPRanges entry of every enabled connector bound there, for precedence.ts to resolve.
 */

import type { Binding } from '../net/binding.js';
import { countBetween } from '../net/bound.js';
import type { ReceiveConnector } from '../model/snapshot.js';
import type { ConnectorScope } from './connector-scope.js';
import type { Listener } from './precedence.js';

/** 2007/2010 connectors have no TransportRole: one transport service, which 2013+ calls HubTransport. */
export function transportRoleOf(connector: ReceiveConnector): string {
  return connector.transportRole ?? 'HubTransport';
}

/** A connector and its parsed scope, by its index (its AD enumeration order). */
export type ConnectorAt = (index: number) => { connector: ReceiveConnector; scope: ConnectorScope };

/** The listeners of the connectors at `indices` (ascending: AD order decides exact ties). */
export function buildListeners(connectorAt: ConnectorAt, indices: Iterable<number>): Listener[] {
  const listeners = new Map<string, Listener>();
  for (const index of indices) {
    const { connector, scope } = connectorAt(index);
    if (!connector.enabled) continue;
    const role = transportRoleOf(connector);
    const serverAndRole = `${connector.server.toLowerCase()}|${role.toLowerCase()}`;
    // Indexed: until V8 optimises a function, for…of makes an object per element, and the analysis runs once.
    for (let position = 0; position < scope.bindings.length; position++) {
      const binding = scope.bindings[position] as Binding;
      const key = `${serverAndRole}|${binding.port}|${binding.family}`;
      let listener = listeners.get(key);
      if (!listener) {
        listener = {
          server: connector.server,
          transportRole: role,
          port: binding.port,
          family: binding.family,
          entries: [],
        };
        listeners.set(key, listener);
      }
      const localAddress = binding.wildcard ? null : binding.address;
      // Exchange compares each RemoteIPRanges entry on its own size: never merge a connector's entries first.
      const { ranges } = scope;
      for (let entry = 0; entry < ranges.length; entry++) {
        // family() is null for an entry that did not parse.
        if (ranges.family(entry) !== binding.family) continue;
        const first = ranges.first(entry);
        const last = ranges.last(entry);
        listener.entries.push({
          connector: index,
          localAddress,
          first,
          last,
          size: countBetween(first, last),
        });
      }
    }
  }
  return [...listeners.values()];
}
