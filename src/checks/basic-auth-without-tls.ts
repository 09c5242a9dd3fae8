import type { Check, FindingDraft } from './check.js';
import { renderFix, setAuthMechanism } from './remediation.js';

export const basicAuthWithoutTls: Check = {
  meta: {
    id: 'basic-auth-without-tls',
    title: 'Basic authentication without TLS on an Internet-facing relay connector',
    severityRule: 'Medium: passwords of accounts that may relay can cross the Internet in clear text.',
    explanation:
      'The connector offers BasicAuth without BasicAuthRequireTLS to public addresses, and authenticated senders may relay. A password sniffed or guessed from the Internet becomes a relay for spam. Require TLS before basic authentication.',
    messages: {
      'clear-text': {
        description:
          'BasicAuth without BasicAuthRequireTLS to public addresses, on a connector where authenticated senders relay.',
        data: ['authMechanism', 'publicAddresses'],
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (connector.aspects.basicAuthWithoutTls === null) continue;
      const today = connector.connector.authMechanism;
      const mechanisms = [...today];
      if (!mechanisms.some((name) => name.toLowerCase() === 'tls')) mechanisms.unshift('Tls');
      mechanisms.push('BasicAuthRequireTLS');
      findings.push({
        messageId: 'clear-text',
        severity: 'medium',
        connector: connector.connector.identity,
        subject: null,
        message:
          'BasicAuth is offered without BasicAuthRequireTLS to public addresses, and authenticated senders may relay: passwords can be read on the wire.',
        data: {
          authMechanism: [...today],
          publicAddresses: connector.effectiveMetrics.publicAddresses.toString(),
        },
        ...renderFix([setAuthMechanism(connector.connector.identity, mechanisms, today)]),
      });
    }
    return findings;
  },
};
