import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { CertificatePath } from '../analysis/certificate-paths.js';
import { severityOfScore } from '../analysis/severity.js';
import type { TlsCapabilityEntry } from '../analysis/tls-capabilities.js';
import { psArgument } from '../powershell/quote.js';
import type { Check, FindingDraft } from './check.js';
import { LATENT_WORDING } from './relay-wording.js';
import { renderFix, type FixStep } from './remediation.js';
import { describeLatentScope, describeReceivedScope } from './scope-text.js';

const DATA = ['entry', 'domain', 'capabilities', 'latent', 'addresses'] as const;

export const certificateRelay: Check = {
  meta: {
    id: 'certificate-relay',
    title: 'Relay or trust granted by a TLS certificate (TlsDomainCapabilities)',
    severityRule:
      "AcceptCrossForestMail: for NO-TLS (no certificate at all) as anonymous relay, by scope; for Exchange Online's shared certificate (*.outlook.com) the same, since any tenant presents it; for a wildcard over a public suffix (*.com) the same, since anyone can get a certificate under it; for another domain medium. AcceptCloudServicesMail or AllowSubmit: info for Exchange Online's certificate (the hybrid setup), low for another domain, medium for NO-TLS or a public-suffix wildcard. AcceptOrgHeaders: low (medium for NO-TLS or a public-suffix wildcard). Other capabilities: info. Low at most when latent (connector disabled or receiving nothing, or no STARTTLS for a certificate entry).",
    explanation:
      'TlsDomainCapabilities gives extra permissions to remote hosts that authenticated with a TLS certificate of a domain, or with "NO-TLS" to every session without TLS. Microsoft documents AcceptCloudServicesMail and AcceptOorgProtocol for hybrid deployments (the Hybrid Configuration Wizard sets mail.protection.outlook.com:AcceptCloudServicesMail on Default Frontend) and says more values exist. In Exchange\'s transport code AcceptCrossForestMail makes the session "Externally Secured Servers" with the relay right whatever the ACL says: a relay path that needs no ACE and no anonymous grant. The effects of the undocumented values are observed in the code, not documented; see the docs page for what is inferred.',
    messages: {
      'relay-without-tls': {
        description: 'AcceptCrossForestMail for NO-TLS: every session without TLS relays, unauthenticated.',
        data: DATA,
      },
      'relay-shared-service': {
        description:
          "AcceptCrossForestMail for Exchange Online's shared certificate: every tenant of the service relays.",
        data: DATA,
      },
      'relay-any-certificate': {
        description:
          'AcceptCrossForestMail for a wildcard over a public suffix ("*.com"): anyone with a certificate for some domain under it relays.',
        data: DATA,
      },
      'relay-domain': {
        description:
          'AcceptCrossForestMail for a domain: hosts with a valid certificate of that domain relay.',
        data: DATA,
      },
      hybrid: {
        description:
          "AcceptCloudServicesMail for Exchange Online's certificate, as the Hybrid Configuration Wizard sets it: not relay.",
        data: DATA,
      },
      'submit-as-internal': {
        description:
          'AcceptCloudServicesMail or AllowSubmit for another domain, or for NO-TLS: submission with the sender checks off, not relay.',
        data: DATA,
      },
      'organization-headers': {
        description:
          'AcceptOrgHeaders: the organisation headers of those hosts are kept (header firewall off).',
        data: DATA,
      },
      other: {
        description:
          'AcceptOorgProtocol, Exchange-internal protocol capabilities, or names exrelay does not know: listed, not scored.',
        data: DATA,
      },
      ignored: { description: 'A wildcard "*" domain, which Exchange ignores.', data: DATA },
      latent: {
        description: 'A capability that opens nothing today (data.latent: disabled, shadowed, no-tls…).',
        data: DATA,
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      const { certificateRelay: noTls } = connector.relay;
      const domains = domainCounts(connector);
      if (noTls)
        findings.push(
          finding(
            connector,
            domains,
            noTls,
            connector.latent,
            connector.aspects.unauthenticatedRelay ?? 0,
            'relay-without-tls',
          ),
        );
      for (const path of connector.certificatePaths)
        findings.push(finding(connector, domains, path.entry, path.latent, path.score, messageIdOf(path)));
    }
    return findings;
  },
};

function messageIdOf({ entry, latent }: CertificatePath): string {
  if (entry.ignored) return 'ignored';
  if (latent) return 'latent';
  switch (entry.effect) {
    case 'relay':
      return entry.sharedService
        ? 'relay-shared-service'
        : entry.anyCertificate
          ? 'relay-any-certificate'
          : 'relay-domain';
    case 'submit-as-internal':
      return entry.sharedService && !entry.noTls ? 'hybrid' : 'submit-as-internal';
    case 'organization-headers':
      return 'organization-headers';
    default:
      return 'other';
  }
}

const WHO = (entry: TlsCapabilityEntry): string =>
  entry.noTls
    ? 'every session without TLS (NO-TLS), no certificate needed'
    : entry.sharedService
      ? `hosts that present a valid certificate for ${entry.domain} (Exchange Online's shared certificate: any tenant of the service)`
      : entry.anyCertificate
        ? `hosts that present a valid certificate for ${entry.domain} (a whole public suffix: anyone can get a certificate for a domain of their own under it)`
        : `hosts that present a valid certificate for ${entry.domain}`;

const EFFECT_WORDING: Record<string, string> = {
  relay:
    'the rights of Externally Secured Servers, whatever the ACL says (they may relay to any domain, send as internal senders and skip anti-spam, and their mail counts as authenticated)',
  'submit-as-internal':
    'submission with the sender checks off (Accept-Any-Sender, Accept-Authoritative-Domain-Sender), and with AcceptCloudServicesMail the XOORG cross-premises protocol; not the relay right',
  'organization-headers': 'their X-MS-Exchange-Organization headers kept (the header firewall off)',
  'hybrid-protocol': 'the XOORG cross-premises protocol; no permission',
  internal: 'an Exchange-internal protocol extension',
};

function finding(
  connector: ConnectorAnalysis,
  domains: ReadonlyMap<string, number>,
  entry: TlsCapabilityEntry,
  latent: ConnectorAnalysis['latent'],
  score: number,
  messageId: string,
): FindingDraft {
  const identity = connector.connector.identity;
  const granted = entry.effect ? EFFECT_WORDING[entry.effect] : 'nothing exrelay knows';
  const unknown = entry.unknown.length > 0 ? ` exrelay does not know ${entry.unknown.join(', ')}.` : '';
  const scope = latent
    ? ` ${LATENT_WORDING[latent]} ${describeLatentScope(connector)}.`
    : ` The connector receives ${describeReceivedScope(connector)}.`;
  const message = entry.ignored
    ? `TlsDomainCapabilities entry '${entry.text}' names no domain; Exchange ignores wildcard entries.`
    : messageId === 'hybrid'
      ? `TlsDomainCapabilities gives ${entry.capabilities.join(', ')} to ${WHO(entry)}, as the Hybrid Configuration Wizard sets it: ${granted}.${scope}`
      : `TlsDomainCapabilities gives ${entry.capabilities.join(', ') || 'no capability'} to ${WHO(entry)}: ${granted}.${unknown}${scope}`;
  const fixable = !entry.ignored && messageId !== 'hybrid' && messageId !== 'other';
  return {
    messageId,
    severity: severityOfScore(score),
    connector: identity,
    subject: subjectOf(domains, entry),
    message,
    data: {
      entry: entry.text,
      domain: entry.domain,
      capabilities: entry.capabilities,
      latent,
      addresses: connector.reachableMetrics.addresses.toString(),
    },
    ...renderFix(
      fixable ? [withoutEntry(identity, connector.connector.tlsDomainCapabilities ?? [], entry.text)] : null,
    ),
  };
}

/** How many entries of the connector name each domain (lower case), counted once per connector. */
function domainCounts(connector: ConnectorAnalysis): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { domain } of connector.relay.tlsCapabilities)
    if (domain !== null) counts.set(domain.toLowerCase(), (counts.get(domain.toLowerCase()) ?? 0) + 1);
  return counts;
}

/** The entry's domain; its whole text when the connector lists that domain twice (fingerprints stay unique). */
function subjectOf(domains: ReadonlyMap<string, number>, entry: TlsCapabilityEntry): string {
  return entry.domain !== null && domains.get(entry.domain.toLowerCase()) === 1 ? entry.domain : entry.text;
}

function capabilitiesArgument(entries: readonly string[]): string {
  return entries.length > 0 ? entries.map(psArgument).join(',') : '$null';
}

/** Beyond this many entries a fix names only its own entry (@{Remove=…}), not the whole list. */
const WHOLE_LIST_UP_TO = 20;

/**
 * Write TlsDomainCapabilities back without the entry; the rollback writes today's list. On a longer list each of
 * its N findings would print the list twice (5,000 entries on one connector: 2.5 GB of commands, out of memory):
 * there the fix removes the entry with @{Remove=…} and the rollback adds it back with @{Add=…}.
 */
function withoutEntry(identity: string, today: readonly string[], entry: string): FixStep {
  const set = `Set-ReceiveConnector -Identity ${psArgument(identity)} -TlsDomainCapabilities`;
  if (today.length > WHOLE_LIST_UP_TO)
    return { command: `${set} @{Remove=${psArgument(entry)}}`, undo: `${set} @{Add=${psArgument(entry)}}` };
  const command = (entries: readonly string[]) => `${set} ${capabilitiesArgument(entries)}`;
  return { command: command(today.filter((other) => other !== entry)), undo: command(today) };
}
