import type { Check, Finding } from './check.js';
import { describeEffectiveScope } from './scope-text.js';

export const anonymousSubmit: Check = {
  meta: {
    id: 'anonymous-submit',
    title: 'Anonymous submission without relay',
    severityRule: 'Info: anonymous submission for accepted domains is how Internet mail arrives.',
    explanation:
      'ANONYMOUS LOGON holds ms-Exch-SMTP-Submit (the AnonymousUsers permission group) but not the relay right: anonymous senders may deliver mail to your accepted domains only. That is how Internet mail arrives and is not relay; it is listed so the receive surface is visible.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      if (connector.aspects.anonymousSubmit === null) continue;
      findings.push({
        checkId: 'anonymous-submit',
        severity: 'info',
        connector: connector.connector.identity,
        message: `Accepts unauthenticated mail for accepted domains (no relay) from ${describeEffectiveScope(connector)}.`,
        remediation: null,
      });
    }
    return findings;
  },
};
