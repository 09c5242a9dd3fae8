import { severityOfScore } from '../analysis/severity.js';
import type { Check, Finding } from './check.js';
import { inheritedNote, relayMessage, relayRemediation, revokeFor } from './relay-wording.js';

export const anonymousRelay: Check = {
  meta: {
    id: 'anonymous-relay',
    title: 'Anonymous relay on a dedicated connector',
    severityRule:
      'By the scope the connector really receives: critical with any public address, high for more than 256 private addresses (IPv4-equivalent), medium for 2–256, low for a few single hosts or a latent grant (disabled, shadowed, or no Submit right).',
    explanation:
      'ANONYMOUS LOGON (S-1-5-7) holds ms-Exch-SMTP-Accept-Any-Recipient: any sender whose address reaches this connector may send to any domain without authenticating. Keep such a connector scoped to the single IP addresses of the devices that need it.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      const { relay } = connector;
      if (connector.isDefault || (!relay.anonymous && !relay.anonymousRelayLatent)) continue;
      const principals = relay.principals.filter((principal) => principal.wellKnown === 'anonymous');
      findings.push({
        checkId: 'anonymous-relay',
        severity: severityOfScore(connector.aspects.unauthenticatedRelay ?? 0),
        connector: connector.connector.identity,
        message:
          relayMessage(connector, 'ANONYMOUS LOGON holds ms-Exch-SMTP-Accept-Any-Recipient') +
          inheritedNote(principals),
        remediation: relayRemediation(connector, () => revokeFor(connector, principals)),
      });
    }
    return findings;
  },
};
