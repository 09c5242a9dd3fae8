import { isAuthenticatedRelayPrincipal } from '../analysis/relay.js';
import type { Check, FindingDraft } from './check.js';
import { describeEffectiveScope } from './scope-text.js';

export const authenticatedRelay: Check = {
  meta: {
    id: 'authenticated-relay',
    title: 'Relay after authentication',
    severityRule: 'Info: relaying for authenticated users is how clients and servers send outbound mail.',
    explanation:
      'Authenticated Users (the ExchangeUsers permission group) and other accounts or groups that hold ms-Exch-SMTP-Accept-Any-Recipient may relay once they authenticate. That is normal on client and default connectors; the list shows who can, so that unexpected accounts stand out.',
    messages: {
      principals: {
        description: 'Who may relay after authenticating, from the ACL (data.principals).',
        data: ['principals', 'addresses'],
      },
      'permission-group': {
        description:
          'The ACL was not read; the ExchangeUsers permission group shows Authenticated Users may relay.',
        data: ['principals', 'addresses'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (!connector.relay.authenticated || !connector.connector.enabled) continue;
      const principals = connector.relay.principals
        .filter(isAuthenticatedRelayPrincipal)
        .map(({ user, sid }) => ({ user, sid }));
      const who =
        principals.length > 0
          ? principals.map((principal) => principal.user).join(', ')
          : 'Authenticated Users (from the ExchangeUsers permission group)';
      findings.push({
        messageId: principals.length > 0 ? 'principals' : 'permission-group',
        severity: 'info',
        connector: connector.connector.identity,
        subject: null,
        message: `Relay after authentication for ${who}; the connector receives ${describeEffectiveScope(connector)}.`,
        data: { principals, addresses: connector.effectiveMetrics.addresses.toString() },
        remediation: null,
        rollback: null,
      });
    }
    return findings;
  },
};
