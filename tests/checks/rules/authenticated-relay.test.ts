import { authenticatedRelay } from '../../../src/checks/authenticated-relay.js';
import { ace, connector, grant, RELAY, SUBMIT } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';

const AUTHENTICATED = 'NT AUTHORITY\\Authenticated Users';
const AUTHENTICATED_USERS = { user: AUTHENTICATED, sid: 'S-1-5-11' };
const SVC_MAIL = (rid: number) => ({ user: 'CONTOSO\\svc-mail', sid: `S-1-5-21-1-2-3-${rid}` });

/** The info finding that lists who may relay after authenticating on `name`. */
function listed(name: string, ...principals: Array<{ user: string; sid: string }>) {
  return {
    messageId: 'principals',
    severity: 'info' as const,
    connector: `EX01\\${name}`,
    data: { principals },
  };
}

ruleTester(authenticatedRelay, {
  valid: [
    {
      name: 'read-only inherited ACEs',
      connectors: [
        connector({
          name: 'R',
          permissions: [
            ace({ user: AUTHENTICATED, accessRights: ['ReadProperty', 'GenericExecute'], inherited: true }),
          ],
        }),
      ],
    },
    {
      name: 'full control inherited from the configuration container',
      connectors: [
        connector({
          name: 'R',
          permissions: [
            ace({ user: 'CONTOSO\\Enterprise Admins', accessRights: ['GenericAll'], inherited: true }),
          ],
        }),
      ],
    },
    {
      name: "Exchange's own server and interop groups",
      connectors: [
        connector({
          name: 'Default EX01',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [
            grant('CONTOSO\\Exchange Servers', RELAY),
            grant('CONTOSO\\ExchangeLegacyInterop', RELAY),
            grant('MS Exchange\\Hub Transport Servers', RELAY),
          ],
        }),
      ],
    },
    {
      name: 'a deny for Everyone takes the right from every account',
      connectors: [
        connector({
          name: 'R',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [grant(AUTHENTICATED, RELAY), grant('Everyone', RELAY, { deny: true })],
        }),
      ],
    },
    {
      name: 'a disabled connector',
      connectors: [connector({ name: 'R', enabled: false, permissions: [grant(AUTHENTICATED, RELAY)] })],
    },
  ],
  invalid: [
    {
      name: 'Authenticated Users and a service account',
      connectors: [
        connector({
          name: 'Client',
          authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'],
          permissions: [
            grant(AUTHENTICATED, SUBMIT),
            grant(AUTHENTICATED, RELAY),
            grant('CONTOSO\\svc-mail', RELAY, { sid: 'S-1-5-21-1-2-3-1105' }),
            grant('CONTOSO\\Exchange Servers', RELAY),
          ],
        }),
      ],
      errors: [
        {
          messageId: 'principals',
          severity: 'info',
          connector: 'EX01\\Client',
          subject: null,
          data: {
            principals: [
              { user: AUTHENTICATED, sid: 'S-1-5-11' },
              { user: 'CONTOSO\\svc-mail', sid: 'S-1-5-21-1-2-3-1105' },
            ],
          },
        },
      ],
    },
    {
      name: 'no ACL, the ExchangeUsers group',
      connectors: [
        connector({
          name: 'Client',
          authMechanism: ['Tls', 'Integrated'],
          permissions: null,
          permissionGroups: ['ExchangeUsers'],
        }),
      ],
      errors: [{ messageId: 'permission-group', severity: 'info', data: { principals: [] } }],
    },
    {
      // The findings share one list per distinct set of accounts: a list differing only in a SID is its own.
      name: 'three connectors, two listing the same accounts',
      connectors: [
        connector({
          name: 'A',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [grant(AUTHENTICATED, RELAY)],
        }),
        connector({
          name: 'B',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [grant('CONTOSO\\svc-mail', RELAY, { sid: 'S-1-5-21-1-2-3-1105' })],
        }),
        connector({
          name: 'C',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [grant('CONTOSO\\svc-mail', RELAY, { sid: 'S-1-5-21-1-2-3-1106' })],
        }),
        connector({
          name: 'D',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [grant(AUTHENTICATED, RELAY)],
        }),
      ],
      errors: [
        listed('A', AUTHENTICATED_USERS),
        listed('B', SVC_MAIL(1105)),
        listed('C', SVC_MAIL(1106)),
        listed('D', AUTHENTICATED_USERS),
      ],
    },
    {
      // Lists are found by walking the connector's principals: a list that begins another is still its own.
      name: 'one connector lists the accounts of another and one more',
      connectors: [
        connector({
          name: 'A',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [
            grant(AUTHENTICATED, RELAY),
            grant('CONTOSO\\Exchange Servers', RELAY),
            grant('CONTOSO\\svc-mail', RELAY, { sid: 'S-1-5-21-1-2-3-1105' }),
          ],
        }),
        connector({
          name: 'B',
          authMechanism: ['Tls', 'Integrated'],
          permissions: [grant(AUTHENTICATED, RELAY)],
        }),
      ],
      errors: [listed('A', AUTHENTICATED_USERS, SVC_MAIL(1105)), listed('B', AUTHENTICATED_USERS)],
    },
    {
      name: 'no way to log on',
      connectors: [
        connector({ name: 'Client', authMechanism: ['Tls'], permissions: [grant(AUTHENTICATED, RELAY)] }),
      ],
      errors: [{ messageId: 'no-authentication', severity: 'info' }],
    },
  ],
});
