import { unusedRangeFamily } from '../../../src/checks/unused-range-family.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';
import { relayConnector } from './fixtures.js';

ruleTester(unusedRangeFamily, {
  valid: [
    {
      name: 'both families bound',
      connectors: [
        connector({
          name: 'R',
          bindings: ['0.0.0.0:25', '[::]:25'],
          remoteIPRanges: ['10.0.0.0/8', 'fd00::/8'],
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'IPv6 entries without an IPv6 binding',
      connectors: [connector({ name: 'R', remoteIPRanges: ['10.0.0.0/8', 'fd00::/8'] })],
      errors: [
        {
          messageId: 'unused',
          severity: 'info',
          subject: null,
          data: { entries: ['fd00::/8'], families: ['IPv6'] },
        },
      ],
    },
    {
      name: 'on a relay connector',
      connectors: [relayConnector(['10.1.1.1', 'fd00::1'])],
      errors: [{ messageId: 'unused-relay', severity: 'low' }],
    },
  ],
});
