import type { ConnectorAnalysis } from '../analysis/analyze.js';
import { psArgument } from '../powershell/quote.js';
import type { Check, Finding } from './check.js';
import { plural } from './describe.js';
import { comment } from './remediation.js';

export const acceptedDomainRelay: Check = {
  meta: {
    id: 'accepted-domain-relay',
    title: 'Accepted domains that make Exchange relay',
    severityRule:
      "Critical for '*' (any type) or a wildcard over a whole top-level domain such as '*.com' of type InternalRelay/ExternalRelay, when some enabled connector accepts anonymous mail (high when none does); low for such a wildcard of type Authoritative (no relay, but backscatter); info for the other InternalRelay/ExternalRelay domains.",
    explanation:
      'Exchange accepts a recipient without the relay right whenever its domain is an accepted domain. InternalRelay and ExternalRelay domains are then sent on to another system: anyone allowed to submit, anonymous Internet senders included, can relay to them. That is by design for a shared namespace, but a wildcard like "*" or "*.com" turns every connector that accepts anonymous mail into an open relay for those domains, whatever its permissions.',
  },
  run(analysis) {
    if (!analysis.acceptedDomains) return [];
    const anonymousConnectors = analysis.connectors.filter(acceptsAnonymousMail);
    const findings: Finding[] = [];
    for (const domain of analysis.acceptedDomains.filter((entry) => entry.openRelay)) {
      const { name, domainName, domainType } = domain.domain;
      const where =
        anonymousConnectors.length > 0
          ? `${plural(anonymousConnectors.length, 'enabled connector accepts', 'enabled connectors accept')} anonymous mail (e.g. '${anonymousConnectors[0]?.connector.identity}'), so anyone can relay to ${domainName === '*' ? 'every domain' : `every ${domainName.slice(1)} domain`}`
          : 'no connector in the input is known to accept anonymous mail, but every authenticated or future anonymous sender can relay through it';
      findings.push({
        checkId: 'accepted-domain-relay',
        severity: anonymousConnectors.length > 0 ? 'critical' : 'high',
        connector: null,
        message: `Accepted domain '${domainName}' (${domainType}) makes Exchange accept mail for far more than your own domains: ${where}.`,
        remediation: [
          `Remove-AcceptedDomain -Identity ${psArgument(name)} -Confirm:$false`,
          comment('Then add the domains you really host or relay for, one accepted domain each.'),
        ].join('\n'),
      });
    }
    for (const domain of analysis.acceptedDomains.filter((entry) => entry.tooWideAuthoritative)) {
      findings.push({
        checkId: 'accepted-domain-relay',
        severity: 'low',
        connector: null,
        message: `Accepted domain '${domain.domain.domainName}' is Authoritative for a whole top-level domain: Exchange accepts mail for every such domain and answers unknown recipients with NDRs (backscatter). It does not relay, but it is never what was meant.`,
        remediation: `Remove-AcceptedDomain -Identity ${psArgument(domain.domain.name)} -Confirm:$false`,
      });
    }
    const relayable = analysis.acceptedDomains.filter((entry) => entry.relayable && !entry.openRelay);
    if (relayable.length > 0) {
      findings.push({
        checkId: 'accepted-domain-relay',
        severity: 'info',
        connector: null,
        message: `Mail to these accepted domains is relayed on by design, for anonymous senders too: ${relayable
          .map((entry) => `${entry.domain.domainName} (${entry.domain.domainType})`)
          .join(', ')}.`,
        remediation: null,
      });
    }
    return findings;
  },
};

function acceptsAnonymousMail(connector: ConnectorAnalysis): boolean {
  const { relay } = connector;
  return connector.connector.enabled && (relay.anonymousSubmit || relay.anonymous || relay.externallySecured);
}
