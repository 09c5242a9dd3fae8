import type { Check, Finding } from './check.js';
import { setAuthMechanism } from './remediation.js';

export const basicAuthWithoutTls: Check = {
  meta: {
    id: 'basic-auth-without-tls',
    title: 'Basic authentication without TLS on an Internet-facing relay connector',
    severityRule: 'Medium: passwords of accounts that may relay can cross the Internet in clear text.',
    explanation:
      'The connector offers BasicAuth without BasicAuthRequireTLS to public addresses, and authenticated senders may relay. A password sniffed or guessed from the Internet becomes a relay for spam. Require TLS before basic authentication.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      if (connector.aspects.basicAuthWithoutTls === null) continue;
      const mechanisms = [...connector.connector.authMechanism];
      if (!mechanisms.some((name) => name.toLowerCase() === 'tls')) mechanisms.unshift('Tls');
      mechanisms.push('BasicAuthRequireTLS');
      findings.push({
        checkId: 'basic-auth-without-tls',
        severity: 'medium',
        connector: connector.connector.identity,
        message:
          'BasicAuth is offered without BasicAuthRequireTLS to public addresses, and authenticated senders may relay: passwords can be read on the wire.',
        remediation: setAuthMechanism(connector.connector.identity, mechanisms),
      });
    }
    return findings;
  },
};
