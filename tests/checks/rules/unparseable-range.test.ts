import { unparseableRange } from '../../../src/checks/unparseable-range.js';
import { connector } from '../../support/builders.js';
import { ruleTester } from '../rule-tester.js';

ruleTester(unparseableRange, {
  valid: [
    {
      name: 'every syntax Exchange prints',
      connectors: [
        connector({
          name: 'R',
          remoteIPRanges: [
            '10.0.0.0/8',
            '10.1.1.1-10.1.1.9',
            '192.168.1.5',
            '10.0.0.0(255.0.0.0)',
            'fe80::1%11',
          ],
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'an octet out of range beside a good entry',
      connectors: [connector({ name: 'Relay', remoteIPRanges: ['10.0.0.300', '10.0.0.0/8'] })],
      errors: [
        {
          messageId: 'range',
          severity: 'medium',
          connector: 'EX01\\Relay',
          subject: '10.0.0.300',
          data: { entry: '10.0.0.300' },
          fix: true,
        },
      ],
    },
    {
      name: 'a binding without port',
      connectors: [connector({ name: 'Relay', bindings: ['0.0.0.0:25', '10.0.0.5'] })],
      errors: [
        {
          messageId: 'binding',
          severity: 'medium',
          subject: 'binding 10.0.0.5',
          data: { entry: '10.0.0.5' },
          fix: false,
        },
      ],
    },
  ],
});
