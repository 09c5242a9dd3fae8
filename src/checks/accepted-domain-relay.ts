import type { ConnectorAnalysis } from '../analysis/analyze.js';
import type { AcceptedDomain } from '../model/snapshot.js';
import { psArgument } from '../powershell/quote.js';
import type { Check, FindingDraft } from './check.js';
import { plural } from './describe.js';
import { note, renderFix, type FixStep } from './remediation.js';

const WIDE_DATA = ['domainName', 'domainType', 'anonymousConnectors', 'example'] as const;

export const acceptedDomainRelay: Check = {
  meta: {
    id: 'accepted-domain-relay',
    title: 'Accepted domains that make Exchange relay',
    severityRule:
      "Critical for '*' (any type) or a wildcard over a whole top-level domain such as '*.com' of type InternalRelay/ExternalRelay, when some enabled connector accepts anonymous mail (high when none does); low for such a wildcard of type Authoritative (no relay, but backscatter); info for the other InternalRelay/ExternalRelay domains.",
    explanation:
      'Exchange accepts a recipient without the relay right whenever its domain is an accepted domain. InternalRelay and ExternalRelay domains are then sent on to another system: anyone allowed to submit, anonymous Internet senders included, can relay to them. That is by design for a shared namespace, but a wildcard like "*" or "*.com" turns every connector that accepts anonymous mail into an open relay for those domains, whatever its permissions.',
    messages: {
      'open-relay': {
        description:
          'A wildcard accepted domain relays for (nearly) every domain, and some connector accepts anonymous mail.',
        data: WIDE_DATA,
      },
      'open-relay-authenticated': {
        description: 'The same wildcard, but no connector in the input is known to accept anonymous mail.',
        data: WIDE_DATA,
      },
      'wide-authoritative': {
        description: 'An Authoritative wildcard over a whole top-level domain: no relay, but backscatter.',
        data: ['domainName', 'domainType'],
      },
      relayable: {
        description: 'The InternalRelay and ExternalRelay domains that are relayed on by design.',
        data: ['domains'],
      },
    },
  },
  run(analysis) {
    if (!analysis.acceptedDomains) return [];
    const anonymousConnectors = analysis.connectors.filter(acceptsAnonymousMail);
    const example = anonymousConnectors[0]?.connector.identity ?? null;
    const findings: FindingDraft[] = [];
    for (const domain of analysis.acceptedDomains.filter((entry) => entry.openRelay)) {
      const { domainName, domainType } = domain.domain;
      const where =
        example !== null
          ? `${plural(anonymousConnectors.length, 'enabled connector accepts', 'enabled connectors accept')} anonymous mail (e.g. '${example}'), so anyone can relay to ${domainName === '*' ? 'every domain' : `every ${domainName.slice(1)} domain`}`
          : 'no connector in the input is known to accept anonymous mail, but every authenticated or future anonymous sender can relay through it';
      findings.push({
        messageId: example !== null ? 'open-relay' : 'open-relay-authenticated',
        severity: example !== null ? 'critical' : 'high',
        connector: null,
        subject: domainName,
        message: `Accepted domain '${domainName}' (${domainType}) makes Exchange accept mail for far more than your own domains: ${where}.`,
        data: { domainName, domainType, anonymousConnectors: anonymousConnectors.length, example },
        ...renderFix([
          removeDomain(domain.domain),
          note('Then add the domains you really host or relay for, one accepted domain each.'),
        ]),
      });
    }
    for (const domain of analysis.acceptedDomains.filter((entry) => entry.tooWideAuthoritative)) {
      const { domainName, domainType } = domain.domain;
      findings.push({
        messageId: 'wide-authoritative',
        severity: 'low',
        connector: null,
        subject: domainName,
        message: `Accepted domain '${domainName}' is Authoritative for a whole top-level domain: Exchange accepts mail for every such domain and answers unknown recipients with NDRs (backscatter). It does not relay, but it is never what was meant.`,
        data: { domainName, domainType },
        ...renderFix([removeDomain(domain.domain)]),
      });
    }
    const relayable = analysis.acceptedDomains.filter((entry) => entry.relayable && !entry.openRelay);
    if (relayable.length > 0) {
      findings.push({
        messageId: 'relayable',
        severity: 'info',
        connector: null,
        subject: null,
        message: `Mail to these accepted domains is relayed on by design, for anonymous senders too: ${relayable
          .map((entry) => `${entry.domain.domainName} (${entry.domain.domainType})`)
          .join(', ')}.`,
        data: {
          domains: relayable.map(({ domain }) => ({
            domainName: domain.domainName,
            domainType: domain.domainType,
          })),
        },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};

function removeDomain(domain: AcceptedDomain): FixStep {
  return {
    command: `Remove-AcceptedDomain -Identity ${psArgument(domain.name)} -Confirm:$false`,
    undo: `New-AcceptedDomain -Name ${psArgument(domain.name)} -DomainName ${psArgument(domain.domainName)} -DomainType ${domain.domainType}`,
  };
}

function acceptsAnonymousMail(connector: ConnectorAnalysis): boolean {
  const { relay } = connector;
  return (
    connector.connector.enabled &&
    (relay.anonymousSubmit || relay.anonymous || relay.externallySecured || relay.certificateRelay !== null)
  );
}
