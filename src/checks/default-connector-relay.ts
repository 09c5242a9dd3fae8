import { wellKnownSid } from '../analysis/principals.js';
import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { note, renderFix } from './remediation.js';
import { relayWording, revokeFor, relayMessages } from './relay-wording.js';

export const defaultConnectorRelay: Check = {
  meta: {
    id: 'default-connector-relay',
    title: 'Anonymous relay on a default connector',
    severityRule:
      'At least high; critical when the connector receives public addresses (a default connector receives the whole Internet unless others take addresses from it); low when the grant is latent.',
    explanation:
      'The connectors Exchange setup creates (Default, Default Frontend, Client, Client Frontend, Client Proxy, Outbound Proxy Frontend, Default internal receive connector) accept connections from every address. Granting ANONYMOUS LOGON the relay right there makes the server an open relay; spammers find one within hours. Anonymous relay belongs on a dedicated connector scoped to the devices that need it.',
    messages: relayMessages('public', 'default-connector', 'latent'),
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      const { relay } = connector;
      if (!connector.isDefault || (!relay.anonymous && !relay.anonymousRelayLatent)) continue;
      const principals = relay.principals.filter((principal) => principal.wellKnown === 'anonymous');
      const wording = relayWording(
        connector,
        'ANONYMOUS LOGON holds ms-Exch-SMTP-Accept-Any-Recipient on a default connector',
        principals,
      );
      findings.push({
        ...wording,
        severity: severityOfScore(connector.aspects.unauthenticatedRelay ?? 0),
        connector: connector.connector.identity,
        subject: wellKnownSid('anonymous'),
        ...renderFix([
          ...revokeFor(connector, principals),
          note(
            'Then create a dedicated connector for the devices that must relay: New-ReceiveConnector -Custom -TransportRole FrontendTransport -Bindings 0.0.0.0:25 -RemoteIPRanges <device IPs>, and grant the right there.',
          ),
        ]),
      });
    }
    return findings;
  },
};
