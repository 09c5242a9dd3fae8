import { verdictUnknown } from '../../../src/checks/verdict-unknown.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend } from './fixtures.js';

const archive = (extra: Partial<Parameters<typeof connector>[0]> = {}) =>
  connector({
    name: 'Relay Archive',
    remoteIPRanges: ['10.10.95.20'],
    permissionGroups: ['AnonymousUsers', 'Custom'],
    permissions: null,
    ...extra,
  });

ruleTester(verdictUnknown, {
  valid: [
    { name: 'the ACL was read', connectors: [defaultFrontend] },
    {
      name: 'ExternalAuthoritative with ExchangeServers proves relay without the ACL',
      connectors: [
        archive({ authMechanism: ['Tls', 'ExternalAuthoritative'], permissionGroups: ['ExchangeServers'] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'no ACL in the input',
      connectors: [archive()],
      errors: [
        {
          messageId: 'no-acl',
          severity: 'medium',
          connector: 'EX01\\Relay Archive',
          subject: null,
          data: { enabled: true },
        },
      ],
    },
    {
      name: 'a disabled connector without ACL',
      connectors: [archive({ enabled: false })],
      errors: [{ messageId: 'no-acl', severity: 'low', data: { enabled: false } }],
    },
    {
      name: 'the ACL could not be read',
      connectors: [archive({ permissionsError: 'Get-ADPermission: Access is denied.' })],
      errors: [
        {
          messageId: 'acl-error',
          severity: 'medium',
          data: { reason: 'Get-ADPermission: Access is denied.' },
        },
      ],
    },
  ],
});
