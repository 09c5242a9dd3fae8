/** Wording for precedence findings: which connector, on which listener. */

import type { OrganizationAnalysis, ConnectorAnalysis } from '../analysis/analyze.js';
import type { ListenerContext } from '../analysis/precedence.js';
import type { IntervalSet } from '../net/interval-set.js';
import { formatIpAddress } from '../net/ip-address.js';
import type { FindingData } from './check.js';

export function connectorAt(analysis: OrganizationAnalysis, index: number): ConnectorAnalysis {
  const connector = analysis.connectors[index];
  if (!connector) throw new Error(`no connector at index ${index}`);
  return connector;
}

/** "port 25 (IPv4)" or "port 25 on local address 10.0.0.5". */
export function describeListener(context: ListenerContext): string {
  const where =
    context.localAddress === null
      ? `IPv${context.family}`
      : `local address ${formatIpAddress({ family: context.family, value: context.localAddress })}`;
  return `${context.server} ${context.transportRole} port ${context.port} (${where})`;
}

/** The listener as finding data. */
export function listenerData(context: ListenerContext): FindingData {
  return {
    server: context.server,
    transportRole: context.transportRole,
    port: context.port,
    family: `IPv${context.family}`,
  };
}

/**
 * The subject of a finding about a pair of connectors on one listener: the other connector's identity that
 * survives a rename (GUID, else distinguished name, else SERVER\Name), and the port and family.
 */
export function otherConnectorSubject(other: ConnectorAnalysis, context: ListenerContext): string {
  const { guid, distinguishedName, identity } = other.connector;
  return `${guid || distinguishedName || identity} port ${context.port} IPv${context.family}`;
}

export function relays(connector: ConnectorAnalysis): boolean {
  return connector.relay.verdict === 'relay' || connector.relay.everyone;
}

/**
 * The same pair of connectors meeting on several local addresses of one listener is one finding: merge their
 * addresses and forget the local address.
 */
export function mergeLocalAddresses<T extends { context: ListenerContext; addresses: IntervalSet }>(
  items: readonly T[],
  pairKey: (item: T) => string,
): T[] {
  const merged = new Map<string, T>();
  for (const item of items) {
    const { server, transportRole, port, family } = item.context;
    const key = [pairKey(item), server.toLowerCase(), transportRole, port, family].join('|');
    const known = merged.get(key);
    if (known) merged.set(key, { ...known, addresses: known.addresses.union(item.addresses) });
    else merged.set(key, { ...item, context: { ...item.context, localAddress: null } });
  }
  return [...merged.values()];
}
