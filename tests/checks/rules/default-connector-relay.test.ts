import { defaultConnectorRelay } from '../../../src/checks/default-connector-relay.js';
import { SID } from '../../support/builders.js';
import { LOST_VALUE } from '../../../src/net/ip-range.js';
import { ruleTester } from '../rule-tester.js';
import { anonymousRelayAcl, defaultFrontend, relayConnector } from './fixtures.js';

const openFrontend = { ...defaultFrontend, permissions: anonymousRelayAcl };

ruleTester(defaultConnectorRelay, {
  valid: [
    { name: 'Default Frontend as installed', connectors: [defaultFrontend] },
    { name: 'relay on a dedicated connector', connectors: [defaultFrontend, relayConnector(['10.1.1.1'])] },
  ],
  invalid: [
    {
      name: 'Default Frontend open to the Internet',
      connectors: [openFrontend],
      errors: [
        {
          messageId: 'public',
          severity: 'critical',
          connector: 'EX01\\Default Frontend EX01',
          subject: SID.anonymous,
          fix: true,
        },
      ],
    },
    {
      name: 'Default Frontend narrowed to private addresses stays at least high',
      connectors: [{ ...openFrontend, bindings: ['0.0.0.0:25'], remoteIPRanges: ['10.0.0.0/8'] }],
      errors: [{ messageId: 'default-connector', severity: 'high', data: { addresses: '16777216' } }],
    },
    {
      name: 'Default Frontend whose bindings the export lost',
      connectors: [{ ...openFrontend, bindings: [LOST_VALUE] }],
      errors: [{ messageId: 'unreadable-scope', severity: 'high', data: { latent: null }, fix: true }],
    },
    {
      name: 'a disabled Default Frontend',
      connectors: [{ ...openFrontend, enabled: false }],
      errors: [{ messageId: 'latent', severity: 'low', data: { latent: 'disabled' } }],
    },
  ],
});
