/** Wording for precedence findings: which connector, on which listener. */

import type { OrganizationAnalysis, ConnectorAnalysis } from '../analysis/analyze.js';
import type { ListenerKey } from '../analysis/precedence.js';
import { flat } from './flat.js';

export function connectorAt(analysis: OrganizationAnalysis, index: number): ConnectorAnalysis {
  const connector = analysis.connectors[index];
  if (!connector) throw new Error(`no connector at index ${index}`);
  return connector;
}

/** Listener descriptions made once: a listener's thousands of captures and ties all name it. */
const listenerTexts = new WeakMap<ListenerKey, string>();

/** "EX01 FrontendTransport port 25 (IPv4)". */
export function describeListener(context: ListenerKey): string {
  let text = listenerTexts.get(context);
  if (text === undefined) {
    text = `${context.server} ${context.transportRole} port ${context.port} (IPv${context.family})`;
    listenerTexts.set(context, text);
  }
  return text;
}

const FAMILY_NAMES = { 4: 'IPv4', 6: 'IPv6' } as const;

/** The listener's family as a precedence finding's data says it: "IPv4" or "IPv6". */
export function familyName(context: ListenerKey): 'IPv4' | 'IPv6' {
  return FAMILY_NAMES[context.family];
}

/**
 * Subjects made once per listener and other connector: a connector that loses senders on a listener is named by
 * each of its captures there (a Default Frontend connector by thousands), and every finding keeps its subject.
 */
const subjects = new WeakMap<ListenerKey, Map<ConnectorAnalysis, string>>();

/**
 * The subject of a finding about a pair of connectors on one listener: the other connector's identity that
 * survives a rename (GUID, else distinguished name, else SERVER\Name), and the port and family.
 */
export function otherConnectorSubject(other: ConnectorAnalysis, context: ListenerKey): string {
  let byConnector = subjects.get(context);
  if (byConnector === undefined) subjects.set(context, (byConnector = new Map()));
  let subject = byConnector.get(other);
  if (subject === undefined) {
    const { guid, distinguishedName, identity } = other.connector;
    subject = flat`${guid || distinguishedName || identity} port ${context.port} IPv${context.family}`;
    byConnector.set(other, subject);
  }
  return subject;
}

export function relays(connector: ConnectorAnalysis): boolean {
  return connector.relay.verdict === 'relay' || connector.relay.everyone;
}
