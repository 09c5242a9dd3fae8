import { everyoneRelay } from '../../../src/checks/everyone-relay.js';
import { connector, grant, RELAY, SID } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { defaultFrontend } from './fixtures.js';

const odd = (extra: Partial<Parameters<typeof connector>[0]> = {}) =>
  connector({
    name: 'Odd',
    remoteIPRanges: ['10.1.1.5'],
    authMechanism: ['Tls', 'Integrated'],
    permissions: [grant('Everyone', RELAY, { sid: SID.everyone })],
    ...extra,
  });

ruleTester(everyoneRelay, {
  valid: [
    { name: 'no grant to Everyone', connectors: [defaultFrontend] },
    {
      name: 'an explicit deny for Authenticated Users, which every authenticated session holds',
      connectors: [
        defaultFrontend,
        odd({
          permissions: [
            grant('Everyone', RELAY, { sid: SID.everyone }),
            grant('NT AUTHORITY\\Authenticated Users', RELAY, { deny: true }),
          ],
        }),
      ],
    },
    {
      name: 'a deny for Everyone',
      connectors: [
        defaultFrontend,
        odd({ permissions: [grant('Everyone', RELAY, { sid: SID.everyone, deny: true })] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'an enabled connector',
      connectors: [defaultFrontend, odd()],
      errors: [
        {
          messageId: 'live',
          severity: 'high',
          connector: 'EX01\\Odd',
          subject: SID.everyone,
          data: { latent: null, inherited: false, addresses: '1' },
          fix: true,
        },
      ],
    },
    {
      name: 'a disabled connector',
      connectors: [defaultFrontend, odd({ enabled: false })],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'disabled' } }],
    },
    {
      name: 'no way to log on',
      connectors: [defaultFrontend, odd({ authMechanism: ['Tls'] })],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'no-authentication' } }],
    },
    {
      name: 'IPv6 entries only, on an IPv4 binding (no usable range)',
      connectors: [defaultFrontend, odd({ remoteIPRanges: ['fd00::5'] })],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'no-usable-range' } }],
    },
    {
      name: 'an inherited grant by localized name',
      connectors: [
        defaultFrontend,
        odd({ permissions: [grant('Jeder', RELAY, { inherited: true, inheritanceType: 'All' })] }),
      ],
      errors: [{ messageId: 'live', severity: 'high', data: { inherited: true } }],
    },
  ],
});
