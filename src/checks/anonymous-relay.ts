import { wellKnownSid } from '../analysis/principals.js';
import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { renderFix } from './remediation.js';
import { relayRemediation, relayWording, revokeFor, relayMessages } from './relay-wording.js';

const ANONYMOUS_SID = wellKnownSid('anonymous');

export const anonymousRelay: Check = {
  meta: {
    id: 'anonymous-relay',
    title: 'Anonymous relay on a dedicated connector',
    severityRule:
      'By the scope the connector really receives: critical with any public address, high for more than 256 private addresses (IPv4-equivalent), medium for 2–256, low for a few single hosts or a latent grant (disabled, shadowed, or no Submit right).',
    explanation:
      'ANONYMOUS LOGON (S-1-5-7) holds ms-Exch-SMTP-Accept-Any-Recipient: any sender whose address reaches this connector may send to any domain without authenticating. Keep such a connector scoped to the single IP addresses of the devices that need it.',
    messages: relayMessages('public', 'few-hosts', 'many-hosts', 'network', 'latent', 'unreadable-scope'),
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      const { relay } = connector;
      if (connector.isDefault || (!relay.anonymous && !relay.anonymousRelayLatent)) continue;
      const principals = relay.principals.filter((principal) => principal.wellKnown === 'anonymous');
      const wording = relayWording(
        connector,
        'ANONYMOUS LOGON holds ms-Exch-SMTP-Accept-Any-Recipient',
        principals,
      );
      const fix = renderFix(relayRemediation(connector, () => revokeFor(connector, principals)));
      findings.push({
        messageId: wording.messageId,
        severity: severityOfScore(connector.aspects.unauthenticatedRelay ?? 0),
        connector: connector.connector.identity,
        subject: ANONYMOUS_SID,
        message: wording.message,
        data: wording.data,
        remediation: fix.remediation,
        rollback: fix.rollback,
      });
    }
    return findings;
  },
};
