import { receivesNothing } from '../analysis/analyze.js';
import { wellKnownSid } from '../analysis/principals.js';
import { hasFlag } from '../analysis/relay.js';
import type { Check, FindingDraft } from './check.js';
import { renderFix } from './remediation.js';
import { INHERITED_GRANT_NOTE, LATENT_WORDING, revokeFor } from './relay-wording.js';
import { describeConfiguredScope, describeReceivedScope } from './scope-text.js';

const DATA = ['latent', 'inherited', 'addresses'] as const;

const NO_SUBMIT =
  'Partner Servers lack ms-Exch-SMTP-Submit, so partners cannot send through it yet; granting Submit (the Partners permission group) opens relay for';

export const partnerRelay: Check = {
  meta: {
    id: 'partner-relay',
    title: 'Partner Servers hold the relay right',
    severityRule:
      'Low: only the servers of a partner domain that authenticate with mutual TLS can use it. Info when nobody can today (connector disabled or receiving nothing, Tls not in AuthMechanism, or no Submit for Partner Servers).',
    explanation:
      "MS Exchange\\Partner Servers is who a session becomes when the remote server authenticates with mutual TLS for a domain the organisation secures (domain security: TLSReceiveDomainSecureList, DomainSecureEnabled on the connector). The Partners permission group gives it ms-Exch-SMTP-Submit and ms-Exch-Accept-Headers-Routing only; ms-Exch-SMTP-Accept-Any-Recipient lets those servers relay through the connector to any domain. exrelay's input does not say which domains are secured, so it cannot tell whether a partner uses the grant; nobody should need it.",
    messages: {
      live: {
        description: 'Partner Servers hold the relay right on a connector that receives mail and offers Tls.',
        data: DATA,
      },
      latent: {
        description:
          'Partner Servers hold the relay right, but no partner can use it today (data.latent: disabled, no-usable-range, shadowed, no-tls, no-submit).',
        data: DATA,
      },
    },
  },
  run(analysis) {
    const findings: FindingDraft[] = [];
    for (const connector of analysis.connectors) {
      const principals = connector.relay.principals.filter(
        (principal) => principal.wellKnown === 'partnerServers',
      );
      if (principals.length === 0) continue;
      const inherited = principals.some((principal) => principal.inherited);
      // Domain security needs STARTTLS: without Tls no partner can authenticate; without Submit none can send.
      const latent =
        receivesNothing(connector) ??
        (!hasFlag(connector.connector.authMechanism, 'Tls')
          ? 'no-tls'
          : principals.some((principal) => principal.canSubmit)
            ? null
            : 'no-submit');
      const scope = latent ? connector.scope.configured : connector.reachable;
      const described = latent
        ? `. ${latent === 'no-submit' ? NO_SUBMIT : LATENT_WORDING[latent]} ${describeConfiguredScope(connector)}`
        : `: servers of a partner domain that authenticate with mutual TLS (domain security) may relay through it to any domain; it receives ${describeReceivedScope(connector)}`;
      findings.push({
        messageId: latent ? 'latent' : 'live',
        severity: latent ? 'info' : 'low',
        connector: connector.connector.identity,
        subject: wellKnownSid('partnerServers'),
        message: `MS Exchange\\Partner Servers hold ms-Exch-SMTP-Accept-Any-Recipient, which the Partners permission group does not grant${described}.${inherited ? INHERITED_GRANT_NOTE : ''}`,
        data: { latent, inherited, addresses: (scope[4].size() + scope[6].size()).toString() },
        ...renderFix(revokeFor(connector, principals)),
      });
    }
    return findings;
  },
};
