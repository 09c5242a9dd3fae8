import { severityOfScore } from '../analysis/severity.js';
import type { Check, Finding } from './check.js';
import { setAuthMechanism } from './remediation.js';
import { relayMessage, relayRemediation } from './relay-wording.js';

export const externallySecuredRelay: Check = {
  meta: {
    id: 'externally-secured-relay',
    title: 'Externally secured connector (relay without authentication)',
    severityRule:
      'As for anonymous relay, by the scope the connector really receives: critical with any public address, high above 256 private addresses, medium for 2–256, low for a few single hosts or a disabled or shadowed connector.',
    explanation:
      'With AuthMechanism ExternalAuthoritative, Exchange treats every session as coming from "MS Exchange\\Externally Secured Servers" before any authentication: senders may relay, skip anti-spam, send as internal users, and their mail is marked authenticated. Microsoft documents it for networks secured by other means (IPsec, a physically trusted segment); each address in scope is fully trusted.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      if (!connector.relay.externallySecured) continue;
      const identity = connector.connector.identity;
      const withoutExternal = connector.connector.authMechanism.filter(
        (mechanism) => mechanism.toLowerCase() !== 'externalauthoritative',
      );
      const dropExternal = () => [
        setAuthMechanism(identity, withoutExternal.length > 0 ? withoutExternal : ['Tls']),
      ];
      findings.push({
        checkId: 'externally-secured-relay',
        severity: severityOfScore(connector.aspects.unauthenticatedRelay ?? 0),
        connector: identity,
        message: relayMessage(
          connector,
          connector.connector.permissions === null
            ? 'AuthMechanism includes ExternalAuthoritative and PermissionGroups includes ExchangeServers, which gives Externally Secured Servers the relay right (the ACL itself was not read)'
            : 'AuthMechanism includes ExternalAuthoritative and Externally Secured Servers hold ms-Exch-SMTP-Accept-Any-Recipient',
        ),
        remediation: relayRemediation(
          connector,
          dropExternal,
          'For devices that only need to relay, prefer anonymous relay on a connector scoped to their single IP addresses.',
        ),
      });
    }
    return findings;
  },
};
