import { wellKnownSid } from '../analysis/principals.js';
import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { renderFix, setAuthMechanism } from './remediation.js';
import { relayRemediation, relayWording, relayMessages } from './relay-wording.js';

export const externallySecuredRelay: Check = {
  meta: {
    id: 'externally-secured-relay',
    title: 'Externally secured connector (relay without authentication)',
    severityRule:
      'As for anonymous relay, by the scope the connector really receives: critical with any public address, high above 256 private addresses, medium for 2–256, low for a few single hosts or a disabled or shadowed connector.',
    explanation:
      'With AuthMechanism ExternalAuthoritative, Exchange treats every session as coming from "MS Exchange\\Externally Secured Servers" before any authentication: senders may relay, skip anti-spam, send as internal users, and their mail is marked authenticated. Microsoft documents it for networks secured by other means (IPsec, a physically trusted segment); each address in scope is fully trusted.',
    messages: relayMessages(
      'public',
      'default-connector',
      'few-hosts',
      'many-hosts',
      'network',
      'latent',
      'unreadable-scope',
    ),
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (!connector.relay.externallySecured) continue;
      const { identity, authMechanism } = connector.connector;
      const withoutExternal = authMechanism.filter(
        (mechanism) => mechanism.toLowerCase() !== 'externalauthoritative',
      );
      const dropExternal = () => [
        setAuthMechanism(identity, withoutExternal.length > 0 ? withoutExternal : ['Tls'], authMechanism),
      ];
      const wording = relayWording(
        connector,
        connector.connector.permissions === null
          ? 'AuthMechanism includes ExternalAuthoritative and PermissionGroups includes ExchangeServers, which gives Externally Secured Servers the relay right (the ACL itself was not read)'
          : 'AuthMechanism includes ExternalAuthoritative and Externally Secured Servers hold ms-Exch-SMTP-Accept-Any-Recipient',
        [],
      );
      findings.push({
        ...wording,
        severity: severityOfScore(connector.aspects.unauthenticatedRelay ?? 0),
        connector: identity,
        subject: wellKnownSid('externallySecuredServers'),
        ...renderFix(
          relayRemediation(
            connector,
            dropExternal,
            'For devices that only need to relay, prefer anonymous relay on a connector scoped to their single IP addresses.',
          ),
        ),
      });
    }
    return findings;
  },
};
