import { authenticatedRelay } from '../../../src/checks/authenticated-relay.js';
import { ace, connector, grant, RELAY, SUBMIT } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';

const AUTHENTICATED = 'NT AUTHORITY\\Authenticated Users';

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
          permissions: [
            grant(AUTHENTICATED, SUBMIT),
            grant(AUTHENTICATED, RELAY),
            grant('CONTOSO\\svc-mail', RELAY, { sid: 'S-1-5-21-1-2-3-1105' }),
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
              { user: AUTHENTICATED, sid: null },
              { user: 'CONTOSO\\svc-mail', sid: 'S-1-5-21-1-2-3-1105' },
            ],
          },
        },
      ],
    },
    {
      name: 'no ACL, the ExchangeUsers group',
      connectors: [connector({ name: 'Client', permissions: null, permissionGroups: ['ExchangeUsers'] })],
      errors: [{ messageId: 'permission-group', severity: 'info', data: { principals: [] } }],
    },
  ],
});
