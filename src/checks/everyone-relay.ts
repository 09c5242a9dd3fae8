import { wellKnownSid } from '../analysis/principals.js';
import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { renderFix } from './remediation.js';
import { describeConfiguredScope, describeEffectiveScope } from './scope-text.js';
import { revokeFor } from './relay-wording.js';

const DATA = ['latent', 'inherited', 'addresses'] as const;

export const everyoneRelay: Check = {
  meta: {
    id: 'everyone-relay',
    title: 'Everyone holds the relay right',
    severityRule: 'High (low when the connector is disabled or receives no addresses).',
    explanation:
      'Everyone (S-1-1-0) holding ms-Exch-SMTP-Accept-Any-Recipient lets every account that authenticates relay, including any compromised mailbox or service account. Exchange evaluates anonymous sessions against ANONYMOUS LOGON alone, so this is probably not anonymous relay, but it is never intended: nobody grants a right to Everyone on purpose.',
    messages: {
      live: { description: 'Everyone holds the relay right on a connector that receives mail.', data: DATA },
      latent: {
        description:
          'Everyone holds the relay right on a connector that receives no mail today (data.latent says why).',
        data: DATA,
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      if (!connector.relay.everyone) continue;
      const principals = connector.relay.principals.filter((principal) => principal.wellKnown === 'everyone');
      const inherited = principals.some((principal) => principal.inherited);
      const scope = connector.latent ? connector.scope.configured : connector.effective;
      const described = connector.latent
        ? `it receives no mail today; its configured scope is ${describeConfiguredScope(connector)}`
        : `it receives ${describeEffectiveScope(connector)}`;
      findings.push({
        messageId: connector.latent ? 'latent' : 'live',
        severity: severityOfScore(connector.aspects.everyoneRelay ?? 0),
        connector: connector.connector.identity,
        subject: wellKnownSid('everyone'),
        message: `Everyone holds ms-Exch-SMTP-Accept-Any-Recipient; ${described}.${inherited ? ' The grant is inherited from a parent container: it applies to every connector below it.' : ''}`,
        data: {
          latent: connector.latent,
          inherited,
          addresses: (scope[4].size() + scope[6].size()).toString(),
        },
        ...renderFix(revokeFor(connector, principals)),
      });
    }
    return findings;
  },
};
