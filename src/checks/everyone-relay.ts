import { wellKnownSid } from '../analysis/principals.js';
import { severityOfScore } from '../analysis/severity.js';
import type { Check, FindingDraft } from './check.js';
import { renderFix } from './remediation.js';
import { describeConfiguredScope, describeReceivedScope } from './scope-text.js';
import { INHERITED_GRANT_NOTE, LATENT_WORDING, revokeFor } from './relay-wording.js';

const DATA = ['latent', 'inherited', 'addresses'] as const;

export const everyoneRelay: Check = {
  meta: {
    id: 'everyone-relay',
    title: 'Everyone holds the relay right',
    severityRule:
      'High, whatever the scope: the band of its score is raised to high because every account that authenticates can use it. Low when the grant is latent (connector disabled or receiving nothing, or no way to authenticate).',
    explanation:
      'Everyone (S-1-1-0) holding ms-Exch-SMTP-Accept-Any-Recipient lets every account that authenticates relay, including any compromised mailbox or service account. Exchange evaluates anonymous sessions against ANONYMOUS LOGON alone, so this is probably not anonymous relay, but it is never intended: nobody grants a right to Everyone on purpose. A deny for Everyone or Authenticated Users on the connector takes it from every authenticated session, as Windows evaluates their logon tokens.',
    messages: {
      live: {
        description:
          'Everyone holds the relay right on a connector where accounts can authenticate; severity at least high whatever the scope.',
        data: DATA,
      },
      latent: {
        description:
          'Everyone holds the relay right, but nobody can use it today (data.latent: disabled, no-usable-range, shadowed, no-authentication).',
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
      const latent = connector.everyoneLatent;
      const scope = latent ? connector.scope.configured : connector.reachable;
      const described = latent
        ? `. ${LATENT_WORDING[latent]} ${describeConfiguredScope(connector)}`
        : `; it receives ${describeReceivedScope(connector)}, and its severity is at least high whatever that scope, because every account that authenticates can use it`;
      findings.push({
        messageId: latent ? 'latent' : 'live',
        severity: severityOfScore(connector.aspects.everyoneRelay ?? 0),
        connector: connector.connector.identity,
        subject: wellKnownSid('everyone'),
        message: `Everyone holds ms-Exch-SMTP-Accept-Any-Recipient${described}.${inherited ? INHERITED_GRANT_NOTE : ''}`,
        data: {
          latent,
          inherited,
          addresses: (scope[4].size() + scope[6].size()).toString(),
        },
        ...renderFix(revokeFor(connector, principals)),
      });
    }
    return findings;
  },
};
