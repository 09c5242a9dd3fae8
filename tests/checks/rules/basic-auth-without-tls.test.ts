import { basicAuthWithoutTls } from '../../../src/checks/basic-auth-without-tls.js';
import { connector, grant, RELAY, SUBMIT } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';

const AUTHENTICATED = 'NT AUTHORITY\\Authenticated Users';
const internet = (extra: Partial<Parameters<typeof connector>[0]> = {}) =>
  connector({
    name: 'Internet Auth',
    bindings: ['0.0.0.0:587'],
    authMechanism: ['Tls', 'BasicAuth'],
    permissions: [grant(AUTHENTICATED, SUBMIT), grant(AUTHENTICATED, RELAY)],
    ...extra,
  });

ruleTester(basicAuthWithoutTls, {
  valid: [
    { name: 'private addresses only', connectors: [internet({ remoteIPRanges: ['10.0.0.0/8'] })] },
    {
      name: 'TLS required',
      connectors: [internet({ authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'] })],
    },
    { name: 'nobody may relay', connectors: [internet({ permissions: [grant(AUTHENTICATED, SUBMIT)] })] },
  ],
  invalid: [
    {
      name: 'BasicAuth to the Internet with authenticated relay',
      connectors: [internet()],
      errors: [
        {
          messageId: 'clear-text',
          severity: 'medium',
          connector: 'EX01\\Internet Auth',
          subject: null,
          data: { authMechanism: ['Tls', 'BasicAuth'], publicAddresses: '3702258690' },
          fix: true,
        },
      ],
    },
  ],
});
