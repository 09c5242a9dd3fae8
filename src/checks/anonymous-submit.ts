import type { Check, FindingDraft } from './check.js';
import { describeReceivedScope } from './scope-text.js';
import { flat } from './flat.js';
import { countText } from '../net/count-text.js';

export const anonymousSubmit: Check = {
  meta: {
    id: 'anonymous-submit',
    title: 'Anonymous submission without relay',
    severityRule: 'Info: anonymous submission for accepted domains is how Internet mail arrives.',
    explanation:
      'ANONYMOUS LOGON holds ms-Exch-SMTP-Submit (the AnonymousUsers permission group) but not the relay right: anonymous senders may deliver mail to your accepted domains only. That is how Internet mail arrives and is not relay; it is listed so the receive surface is visible.',
    messages: {
      submit: {
        description:
          'Anonymous senders may deliver to accepted domains from the addresses the connector receives.',
        data: ['addresses', 'publicAddresses'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (connector.aspects.anonymousSubmit === null) continue;
      findings.push({
        messageId: 'submit',
        severity: 'info',
        connector: connector.connector.identity,
        subject: null,
        message: flat`Accepts unauthenticated mail for accepted domains (no relay) from ${describeReceivedScope(connector)}.`,
        data: {
          addresses: countText(connector.effectiveMetrics.addresses),
          publicAddresses: countText(connector.effectiveMetrics.publicAddresses),
        },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};
