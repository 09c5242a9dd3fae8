/**
 * Finding fingerprints (docs/json-report.md): the same finding in two audits gets the same fingerprint, whatever
 * the wording, the order of findings or the exrelay version, and whether its connector was renamed.
 */

import { hash } from 'node:crypto';
import type { ReceiveConnector } from '../model/snapshot.js';

const VERSION = 'exrelay-finding-1';

function fold(text: string): string {
  // NFC leaves ASCII text as it is, and nearly every subject is ASCII (SIDs, GUIDs, ranges): skip ICU for it.
  return (ASCII.test(text) ? text : text.normalize('NFC')).trim().toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The identity of a connector that survives a rename: its AD object GUID, else its distinguished name, else
 * "server\name"; case-folded.
 */
export function stableConnectorKey(
  connector: Pick<ReceiveConnector, 'guid' | 'distinguishedName' | 'server' | 'name'>,
): string {
  const guid = connector.guid?.replace(/[{}]/g, '');
  if (guid) return `guid:${fold(guid)}`;
  if (connector.distinguishedName) return `dn:${fold(connector.distinguishedName)}`;
  return `name:${fold(connector.server)}\\${fold(connector.name)}`;
}

/** 32 lower-case hex digits: SHA-256 of the check id, the connector's stable key and the subject, case-folded. */
export function findingFingerprint(
  checkId: string,
  connectorKey: string | null,
  subject: string | null,
): string {
  const input = `${VERSION}\u0000${checkId}\u0000${connectorKey ?? ''}\u0000${subject === null ? '' : fold(subject)}`;
  // The one-shot hash: no Hash object for each of tens of thousands of findings. Its first 32 digits are joined
  // from two halves: a slice of 13 or more characters is a view that keeps the whole 64-digit text alive (as long
  // as the finding: 2.2 MB on the 10k snapshot), and the joined text is a flat copy of the 32 alone.
  const digest = hash('sha256', input, 'hex');
  return [digest.slice(0, 16), digest.slice(16, 32)].join('');
}
