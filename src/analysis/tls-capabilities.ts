/**
 * TlsDomainCapabilities: extra permissions a receive connector gives to remote hosts that authenticate with a
 * TLS certificate of a given domain, or to every session without TLS (the domain "NO-TLS").
 *
 * Documented [doc Set-ReceiveConnector -TlsDomainCapabilities]: syntax "domain:capability,capability"; the
 * capabilities are offered after TLS with certificate validation; AcceptCloudServicesMail (2013+) and
 * AcceptOorgProtocol (2010) are the values for hybrid deployments, the Hybrid Configuration Wizard sets
 * "mail.protection.outlook.com:AcceptCloudServicesMail" on Default Frontend; "there are more available values"
 * without a supported scenario; "NO-TLS" stands for connections without TLS.
 * Observed in the transport code [impl, exchange-domain.md §11]: AcceptCrossForestMail makes the session
 * "MS Exchange\Externally Secured Servers" and adds Submit, Accept-Any-Recipient, Accept-Authentication-Flag,
 * Accept-Any-Sender, Accept-Authoritative-Domain-Sender, Bypass-Anti-Spam, Bypass-Message-Size-Limit and the
 * organisation headers, whatever the ACL says; AcceptCloudServicesMail and AllowSubmit add Submit,
 * Accept-Any-Sender, Accept-Authoritative-Domain-Sender and routing headers (no relay); AcceptOrgHeaders adds
 * the organisation headers; AcceptOorgProtocol and AcceptCloudServicesMail advertise XOORG. A wildcard "*"
 * domain is ignored. The certificate must chain to a trusted root.
 * Not documented or observed: whether "*.com" matches every certificate of a .com domain, as "*.contoso.com"
 * matches those under contoso.com. Read as matching (failing closed): it then asks nothing of the sender.
 */

import { breadthOf } from './accepted-domains.js';

export type CapabilityEffect =
  'relay' | 'submit-as-internal' | 'organization-headers' | 'hybrid-protocol' | 'internal';

export interface TlsCapabilityEntry {
  /** The entry as Exchange prints it. */
  text: string;
  /** The domain as written ("mail.protection.outlook.com", "*.contoso.com", "NO-TLS"), or null when unreadable. */
  domain: string | null;
  capabilities: string[];
  /** Applies to sessions without TLS: no certificate needed. */
  noTls: boolean;
  /** "*" alone: Exchange ignores the entry. */
  ignored: boolean;
  /** A shared service whose certificate every tenant's mail presents (Exchange Online Protection). */
  sharedService: boolean;
  /**
   * A wildcard over a whole public suffix ("*.com", "*.co.uk"): anyone can obtain a valid certificate for some
   * domain under it (a free one, in minutes), so the entry asks nothing of the sender.
   */
  anyCertificate: boolean;
  /** The strongest effect of its capabilities; null when none is known. */
  effect: CapabilityEffect | null;
  /** Capability names exrelay does not know. */
  unknown: string[];
}

const EFFECTS: Readonly<Record<string, CapabilityEffect>> = {
  acceptcrossforestmail: 'relay',
  acceptcloudservicesmail: 'submit-as-internal',
  allowsubmit: 'submit-as-internal',
  acceptorgheaders: 'organization-headers',
  acceptoorgprotocol: 'hybrid-protocol',
  acceptoorgheader: 'hybrid-protocol',
  acceptproxyprotocol: 'internal',
  acceptproxyfromprotocol: 'internal',
  acceptproxytoprotocol: 'internal',
  acceptxattrprotocol: 'internal',
  acceptxsysprobeprotocol: 'internal',
  acceptxoriginalfromprotocol: 'internal',
  allowconsumermail: 'internal',
};

const STRENGTH: readonly CapabilityEffect[] = [
  'internal',
  'hybrid-protocol',
  'organization-headers',
  'submit-as-internal',
  'relay',
];

function isSharedService(domain: string): boolean {
  const name = domain.toLowerCase().replace(/^\*\./, '');
  return name === 'outlook.com' || name.endsWith('.outlook.com');
}

export function parseTlsCapability(text: string): TlsCapabilityEntry {
  const colon = text.indexOf(':');
  const domain = colon > 0 ? text.slice(0, colon).trim() : null;
  // A certificate identifier may follow a second colon; capability names themselves hold none.
  const list = colon > 0 ? (text.slice(colon + 1).split(':')[0] ?? '') : '';
  const capabilities = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name.toLowerCase() !== 'none');
  const unknown = capabilities.filter((name) => !(name.toLowerCase() in EFFECTS));
  let effect: CapabilityEffect | null = null;
  for (const name of capabilities) {
    const found = EFFECTS[name.toLowerCase()];
    if (found && (effect === null || STRENGTH.indexOf(found) > STRENGTH.indexOf(effect))) effect = found;
  }
  return {
    text,
    domain,
    capabilities,
    noTls: domain?.toUpperCase() === 'NO-TLS',
    ignored: domain === '*',
    sharedService: domain !== null && isSharedService(domain),
    anyCertificate: domain !== null && breadthOf(domain) === 'public-suffix',
    effect,
    unknown,
  };
}

export function parseTlsCapabilities(entries: readonly string[] | null | undefined): TlsCapabilityEntry[] {
  return (entries ?? []).map(parseTlsCapability);
}
