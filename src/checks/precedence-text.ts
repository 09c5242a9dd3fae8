/** Wording for precedence findings: which connector, on which listener. */

import type { OrganizationAnalysis, ConnectorAnalysis } from '../analysis/analyze.js';
import type { ListenerKey } from '../analysis/precedence.js';
import type { FindingData } from './check.js';

export function connectorAt(analysis: OrganizationAnalysis, index: number): ConnectorAnalysis {
  const connector = analysis.connectors[index];
  if (!connector) throw new Error(`no connector at index ${index}`);
  return connector;
}

/** "EX01 FrontendTransport port 25 (IPv4)". */
export function describeListener(context: ListenerKey): string {
  return `${context.server} ${context.transportRole} port ${context.port} (IPv${context.family})`;
}

/** The listener as finding data. */
export function listenerData(context: ListenerKey): FindingData {
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
export function otherConnectorSubject(other: ConnectorAnalysis, context: ListenerKey): string {
  const { guid, distinguishedName, identity } = other.connector;
  return `${guid || distinguishedName || identity} port ${context.port} IPv${context.family}`;
}

export function relays(connector: ConnectorAnalysis): boolean {
  return connector.relay.verdict === 'relay' || connector.relay.everyone;
}
