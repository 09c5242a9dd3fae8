import { severityOfScore } from '../analysis/severity.js';
import type { Check, Finding } from './check.js';
import { describeConfiguredScope, describeEffectiveScope } from './scope-text.js';
import { inheritedNote, revokeFor } from './relay-wording.js';

export const everyoneRelay: Check = {
  meta: {
    id: 'everyone-relay',
    title: 'Everyone holds the relay right',
    severityRule: 'High (low when the connector is disabled or receives no addresses).',
    explanation:
      'Everyone (S-1-1-0) holding ms-Exch-SMTP-Accept-Any-Recipient lets every account that authenticates relay, including any compromised mailbox or service account. Exchange evaluates anonymous sessions against ANONYMOUS LOGON alone, so this is probably not anonymous relay, but it is never intended: nobody grants a right to Everyone on purpose.',
  },
  run(analysis) {
    const findings: Finding[] = [];
    for (const connector of analysis.connectors) {
      if (!connector.relay.everyone) continue;
      const principals = connector.relay.principals.filter((principal) => principal.wellKnown === 'everyone');
      const scope = connector.latent
        ? `it receives no mail today; its configured scope is ${describeConfiguredScope(connector)}`
        : `it receives ${describeEffectiveScope(connector)}`;
      findings.push({
        checkId: 'everyone-relay',
        severity: severityOfScore(connector.aspects.everyoneRelay ?? 0),
        connector: connector.connector.identity,
        message: `Everyone holds ms-Exch-SMTP-Accept-Any-Recipient; ${scope}.${inheritedNote(principals)}`,
        remediation: revokeFor(connector, principals).join('\n'),
      });
    }
    return findings;
  },
};
