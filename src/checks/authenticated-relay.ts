import { isAuthenticatedRelayPrincipal } from '../analysis/relay.js';
import type { Check, Finding } from './check.js';
import { describeEffectiveScope } from './scope-text.js';

export const authenticatedRelay: Check = {
  meta: {
    id: 'authenticated-relay',
    title: 'Relay after authentication',
    severityRule: 'Info: relaying for authenticated users is how clients and servers send outbound mail.',
    explanation:
      'Authenticated Users (the ExchangeUsers permission group) and other accounts or groups that hold ms-Exch-SMTP-Accept-Any-Recipient may relay once they authenticate. That is normal on client and default connectors; the list shows who can, so that unexpected accounts stand out.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      if (!connector.relay.authenticated || !connector.connector.enabled) continue;
      const names = connector.relay.principals
        .filter(isAuthenticatedRelayPrincipal)
        .map((principal) => principal.user);
      const who =
        names.length > 0 ? names.join(', ') : 'Authenticated Users (from the ExchangeUsers permission group)';
      findings.push({
        checkId: 'authenticated-relay',
        severity: 'info',
        connector: connector.connector.identity,
        message: `Relay after authentication for ${who}; the connector receives ${describeEffectiveScope(connector)}.`,
        remediation: null,
      });
    }
    return findings;
  },
};
